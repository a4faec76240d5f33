// backprop-lab: only what htmx cannot do — keyboard shortcuts (with an off switch), the
// text size and the phone layout (cookies the server lays the diagram out for), motion on
// or off, the symbols' explanations, and where focus and scrolling go after a swap.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEYS = { f: "btn-forward", b: "btn-backward", u: "btn-update", s: "btn-step", z: "btn-undo",
    p: "btn-play" };
  var SCALES = [0.85, 1, 1.15, 1.3, 1.45, 1.6];  // app/views/display.py SCALES
  var PHONE = window.matchMedia("(max-width: 640px)");  // app/views/display.py NARROW_MAX_PX
  root.classList.add("js");

  // htmx events: base.html sets htmx's meta character to "-" (data-hx-target-inherited), and
  // htmx names its events with it too (htmx-after-settle); listen to either spelling.
  function onHtmx(name, handler) {
    document.addEventListener(name, handler);
    document.addEventListener(name.replace(/:/g, "-"), handler);
  }

  function stored(name, fallback) {
    try { return localStorage.getItem(name) || fallback; } catch (e) { return fallback; }
  }
  function store(name, value) {
    try { localStorage.setItem(name, value); } catch (e) { /* private mode */ }
  }
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? m[1] : null;
  }
  function setCookie(name, value) {
    document.cookie = name + "=" + value + "; path=/; max-age=31536000; SameSite=Lax";
  }

  // The lab region again, laid out by the server for the new text size or screen (`also`:
  // a query parameter more, e.g. paused=1 to have it say where a stopped Play stands).
  function relayout(also) {
    if (document.getElementById("lab") && window.htmx) {
      var query = location.search + (also ? (location.search ? "&" : "?") + also : "");
      htmx.ajax("GET", location.pathname + query, { target: "#lab", swap: "outerMorph" });
    }
  }

  // Text size for projectors: the steps of SCALES, kept per browser (localStorage for the
  // page, a cookie for the server, which places the diagram's labels for it).
  function nearest(value) {
    return SCALES.reduce(function (a, b) { return Math.abs(b - value) < Math.abs(a - value) ? b : a; });
  }
  function setScale(scale, layout) {
    scale = nearest(scale);
    root.style.setProperty("--scale", String(scale));
    store("bpl-scale", String(scale));
    var changed = cookie("bpl-scale") !== String(scale);
    if (changed) setCookie("bpl-scale", String(scale));
    if (changed && layout) relayout();
  }
  function bump(step) {
    var now = nearest(parseFloat(getComputedStyle(root).getPropertyValue("--scale")) || 1);
    var i = Math.min(SCALES.length - 1, Math.max(0, SCALES.indexOf(now) + step));
    setScale(SCALES[i], true);
  }
  setScale(parseFloat(stored("bpl-scale", "1")) || 1, false);

  // A phone gets the narrow drawing: tell the server, and lay out again when it changes.
  function phone(layout) {
    var want = PHONE.matches ? "1" : "0";
    if ((cookie("bpl-narrow") || "0") === want) return false;
    setCookie("bpl-narrow", want);
    if (layout) relayout();
    return true;
  }
  var stale = phone(false);  // the first page of a visit was laid out without the cookie
  if (PHONE.addEventListener) PHONE.addEventListener("change", function () { phone(true); });

  // Motion: follows prefers-reduced-motion unless the user chose otherwise here.
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function setMotion(on) {
    root.dataset.motion = on ? "on" : "off";
    document.querySelectorAll("[data-motion-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(on));
    });
  }

  // Single-key shortcuts, with an off switch in the help dialog (WCAG 2.1.4), remembered.
  function keysOn() { return stored("bpl-keys", "on") === "on"; }
  function showKeys() {
    var on = keysOn();
    root.classList.toggle("keys-off", !on);
    var box = document.getElementById("keys-on");
    if (box) box.checked = on;
    document.querySelectorAll("[aria-keyshortcuts], [data-keys]").forEach(function (el) {
      if (!el.dataset.keys) el.dataset.keys = el.getAttribute("aria-keyshortcuts");
      if (on) el.setAttribute("aria-keyshortcuts", el.dataset.keys);
      else el.removeAttribute("aria-keyshortcuts");
    });
  }

  // Never while typing in a field, editing a value or anywhere in the tables of values.
  function typing(target) {
    return target.closest && target.closest(
      "input, textarea, select, [contenteditable], dialog[open], .editor, #tables");
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hideTip(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey || !keysOn() || typing(e.target)) return;
    if (e.key === "?") { e.preventDefault(); help(); return; }
    if (e.key === "+" || e.key === "=") { bump(1); return; }
    if (e.key === "-") { bump(-1); return; }
    var id = KEYS[e.key.toLowerCase()];
    var button = id && document.getElementById(id);
    if (id === "btn-play" && !button) button = document.getElementById("btn-pause");
    if (button && !button.disabled) { e.preventDefault(); button.click(); }
  });

  function help() {
    var dialog = document.getElementById("help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("click", function (e) {
    var t = e.target.closest && e.target.closest("[data-text-size], [data-motion-toggle], [data-help]");
    if (!t) return;
    if (t.dataset.textSize) bump(parseInt(t.dataset.textSize, 10));
    else if (t.hasAttribute("data-help")) help();
    else { setMotion(root.dataset.motion === "off"); store("bpl-motion", root.dataset.motion); }
  });
  document.addEventListener("change", function (e) {
    if (e.target.id === "keys-on") { store("bpl-keys", e.target.checked ? "on" : "off"); showKeys(); }
    if (e.target.name === "csv_file") csvChosen(e.target);
  });

  // A CSV file chosen in the builder is what will be used: the text box says so.
  function csvChosen(input) {
    var form = input.form, box = form && form.querySelector("textarea[name=csv]");
    if (!box || !input.files || !input.files.length) return;
    box.value = "";
    box.placeholder = "The file " + input.files[0].name + " is used (leave this box empty).";
    var own = form.querySelector("input[name=data][value=csv]");
    if (own) own.checked = true;
  }

  // What a symbol means, on hover, focus or tap (one tooltip; Escape hides it).
  var tip = null, tipFor = null, hideTimer = null;
  function showTip(term) {
    var text = document.getElementById(term.getAttribute("aria-describedby"));
    if (!text) return;
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "tip";
      tip.setAttribute("role", "tooltip");
      tip.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
      tip.addEventListener("pointerleave", laterHide);
      document.body.appendChild(tip);
    }
    clearTimeout(hideTimer);
    tip.textContent = text.textContent;
    tip.hidden = false;
    tipFor = term;
    var r = term.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (r.bottom + window.scrollY + 6) + "px";
  }
  function hideTip() { if (tip) { tip.hidden = true; tipFor = null; } }
  function laterHide() { clearTimeout(hideTimer); hideTimer = setTimeout(hideTip, 250); }
  function termOf(e) { return e.target.closest && e.target.closest("button.term"); }
  document.addEventListener("pointerover", function (e) { var t = termOf(e); if (t) showTip(t); });
  document.addEventListener("pointerout", function (e) { if (termOf(e)) laterHide(); });
  document.addEventListener("focusin", function (e) { var t = termOf(e); if (t) showTip(t); });
  document.addEventListener("focusout", function (e) { if (termOf(e)) laterHide(); });
  document.addEventListener("click", function (e) {
    var t = termOf(e);
    if (t) { if (tipFor === t && tip && !tip.hidden) hideTip(); else showTip(t); }
    else if (tip && !tip.contains(e.target)) hideTip();
  });

  // An editor that arrives in a swap gets the keyboard focus with its value selected, so
  // that typing replaces it.
  function selectEditor() {
    var input = document.querySelector(".editor input[name=value]");
    if (input && !input.dataset.selected) {
      input.dataset.selected = "1";
      input.focus();
      input.select();
    }
  }
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var cancel = e.target.closest && e.target.closest(".editor") &&
      e.target.closest(".editor").querySelector("a");
    if (cancel) { e.preventDefault(); cancel.click(); }
  });

  // The newest equation in view inside the equation panel, below its sticky header.
  function showNewest() {
    var panel = document.getElementById("equations"), item = document.getElementById("eq-newest");
    if (!panel) return;
    var head = panel.querySelector(".eq-head");
    panel.style.setProperty("--head", (head ? head.offsetHeight + 8 : 0) + "px");
    if (!item || panel.scrollHeight <= panel.clientHeight + 1) return;
    var top = item.offsetTop - (head ? head.offsetHeight : 0) - 8;
    var bottom = item.offsetTop + item.offsetHeight - panel.clientHeight + 8;
    if (panel.scrollTop > top) panel.scrollTop = top;
    else if (panel.scrollTop < bottom) panel.scrollTop = Math.min(top, bottom);
  }

  // A wide equation that scrolls sideways can be reached (and scrolled) by keyboard.
  function scrollableEquations() {
    document.querySelectorAll(".eq").forEach(function (eq) {
      var wide = eq.scrollWidth > eq.clientWidth + 1;
      if (wide && !eq.hasAttribute("tabindex")) {
        eq.setAttribute("tabindex", "0");
        eq.setAttribute("role", "group");
        var title = eq.querySelector(".eq-title");
        eq.setAttribute("aria-label", (title ? title.textContent : "Equation") + " (scrolls sideways)");
      } else if (!wide && eq.hasAttribute("tabindex")) {
        eq.removeAttribute("tabindex"); eq.removeAttribute("role"); eq.removeAttribute("aria-label");
      }
    });
  }

  // Keyboard focus never drops to <body> after a swap: the edited cell gets it back after
  // the editor closes, else the step button that is allowed next (Step when none is). On a
  // phone, choosing a neuron or an edge brings its equations (below the diagram) into view.
  var editing = null, chosen = false, hadFocus = false;
  function lost() {
    var a = document.activeElement;
    return !a || a === document.body || a.disabled || !a.isConnected;
  }
  onHtmx("htmx:before:request", function (e) {
    var source = e.target;
    chosen = !!(source && source.closest && source.closest("#net a"));
  });
  onHtmx("htmx:before:swap", function (e) {
    // A refresh of Play that lands after Pause would say "Playing" again: fetch the page's
    // current state instead (training may have moved on by that refresh).
    var ctx = e.detail && e.detail.ctx;
    var action = String((ctx && ctx.request && ctx.request.action) || "");
    if (/\/chunk$/.test(action) && !document.querySelector("#player.playing")) {
      e.preventDefault();
      relayout("paused=1");
      return;
    }
    var a = document.activeElement;
    var editor = a && a.closest && a.closest(".editor");
    var key = editor && editor.querySelector("input[name=key]");
    editing = key ? key.value : null;
    // only focus that the swap takes away is given back (a relayout leaves it alone)
    hadFocus = !!(a && a !== document.body && a.closest && a.closest("#lab"));
  });
  onHtmx("htmx:after:settle", function () {
    showKeys();
    selectEditor();
    showNewest();
    scrollableEquations();
    if (chosen && PHONE.matches) {
      var title = document.getElementById("eq-title");
      var r = title && title.getBoundingClientRect();
      if (r && (r.top < 0 || r.bottom > window.innerHeight)) window.scrollTo(0, r.top + window.scrollY - 8);
    }
    chosen = false;
    if (!hadFocus || !lost()) return;
    var cell = editing && document.querySelector('button.val[value="' + editing + '"]');
    var next = ["btn-forward", "btn-backward", "btn-update", "btn-step"].map(function (id) {
      return document.getElementById(id);
    }).filter(function (b) { return b && !b.disabled; })[0];
    var target = cell || next;
    if (target) target.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    setMotion(stored("bpl-motion", reduced ? "off" : "on") === "on");
    showKeys();
    showNewest();
    scrollableEquations();
    var summary = document.getElementById("builder-errors");  // a refused builder submit
    if (summary) summary.focus();
    var drawn = document.getElementById("diagram");
    var scale = nearest(parseFloat(stored("bpl-scale", "1")) || 1);
    if (stale || (drawn && Math.abs(parseFloat(drawn.dataset.scale) - scale) > 0.001)) relayout();
  });
  window.addEventListener("resize", scrollableEquations);

  // A step click's answer morphs only the regions it changed (templates/_lab_parts.html):
  // the lab region's own attributes (the version it shows, the phase, the last action)
  // follow the status line's, as a whole region's would.
  onHtmx("htmx:after:swap", function () {
    var lab = document.getElementById("lab"), status = document.getElementById("status");
    if (!lab || !status || !status.dataset.phase) return;
    lab.dataset.version = status.dataset.version;
    lab.className = lab.className.replace(/\b(phase|did)-\w+/g, "").replace(/\s+/g, " ").trim() +
      " phase-" + status.dataset.phase + (status.dataset.did ? " did-" + status.dataset.did : "");
  });
})();
