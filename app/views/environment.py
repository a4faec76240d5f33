"""The Jinja environment every template renders in (the pages' and the documents'):
Jinja's own, with the lookup of `x.name` on a plain dict made direct.

In a template, `x.name` is `environment.getattr(x, "name")`: Jinja tries the attribute
first and the item after it. The view-models are mostly plain dicts, which have no
attributes but dict's own methods, so each such lookup raised and caught AttributeError
before it found the item: about a sixth of the time spent rendering the lab region.
`LabEnvironment.getattr` looks a plain dict's item up at once, unless the name is one of
dict's attributes (`x.items` stays the method): the same value or Undefined as Jinja's.
`environment` makes one over a templates folder (the installed one: app/resources.py)."""

from __future__ import annotations

from typing import Any

import jinja2

DICT_ATTRIBUTES = frozenset(dir(dict))


class LabEnvironment(jinja2.Environment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def environment(folder: object, **options: Any) -> LabEnvironment:
    """A LabEnvironment over the templates in `folder`, with Jinja's `options`."""
    return LabEnvironment(loader=jinja2.FileSystemLoader(str(folder)), **options)
