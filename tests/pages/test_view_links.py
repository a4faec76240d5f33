"""The diagram's links: each neuron's and edge's URL is the view's query with that focus,
worked out once for the view and then per focus (a Play refresh makes about a hundred)."""

from __future__ import annotations

import itertools

from app.views.viewstate import ViewState


def test_focus_query_is_the_query_with_that_focus_for_every_kind_of_view():
    foci = [None, (1, 1), (2, 3), (1, 2, 1), (0, 2)]
    views = [
        ViewState(
            focus=focus,
            sample=sample,
            digits=digits,
            edit=edit,
            mode=mode,
            log=log,
            thumbs=thumbs,
            follow=follow,
            discrete=discrete,
        )
        for focus, sample, digits, edit, mode, log, thumbs, follow, discrete in itertools.product(
            (None, (2, 1)),
            (0, 4),
            (4, 9),
            (None, "w-1-1-2"),
            ("step", "train"),
            (False, True),
            (False, True),
            (False, True),
            (False, True),
        )
    ]
    assert len(views) == 2**9
    for view in views:
        query = view.focus_query()
        for focus in foci:
            assert query(focus) == view.query(focus=focus), (view, focus)
    # a case written out: the focus first, then the rest in the query's own order
    view = ViewState(sample=4, digits=9, mode="train", log=True)
    assert view.focus_query()((1, 2, 1)) == "?focus=1-2-1&sample=5&digits=9&mode=train&log=1"
    assert view.focus_query()(None) == "?sample=5&digits=9&mode=train&log=1"
    assert ViewState().focus_query()(None) == ""
