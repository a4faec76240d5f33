// backprop-lab: only what htmx cannot do — keyboard shortcuts, text size, motion on/off.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEYS = { f: "btn-forward", b: "btn-backward", u: "btn-update", s: "btn-step", z: "btn-undo",
    p: "btn-play" };
  root.classList.add("js");

  function stored(name, fallback) {
    try { return localStorage.getItem(name) || fallback; } catch (e) { return fallback; }
  }
  function store(name, value) {
    try { localStorage.setItem(name, value); } catch (e) { /* private mode */ }
  }

  // Text size for projectors: 0.85 … 1.6, kept per browser.
  function setScale(scale) {
    scale = Math.min(1.6, Math.max(0.85, Math.round(scale * 100) / 100));
    root.style.setProperty("--scale", String(scale));
    store("bpl-scale", String(scale));
  }
  setScale(parseFloat(stored("bpl-scale", "1")) || 1);
  function bump(step) {
    setScale(parseFloat(getComputedStyle(root).getPropertyValue("--scale")) + step * 0.1);
  }

  // Motion: follows prefers-reduced-motion unless the user chose otherwise here.
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function setMotion(on) {
    root.dataset.motion = on ? "on" : "off";
    document.querySelectorAll("[data-motion-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(!on));
      b.textContent = on ? "Motion: on" : "Motion: off";
    });
  }

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable], dialog[open]");
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
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

  // An editor that arrives in a swap gets the keyboard focus, its text selected.
  document.addEventListener("htmx:after:swap", function () {
    var input = document.querySelector(".editor input[name=value]");
    if (input && document.activeElement !== input) { input.focus(); input.select(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var cancel = e.target.closest && e.target.closest(".editor") &&
      e.target.closest(".editor").querySelector("a");
    if (cancel) { e.preventDefault(); cancel.click(); }
  });

  // Keyboard focus never drops to <body> after a swap: the edited cell gets it back after
  // the editor closes, else the step button that is allowed next (Step when none is).
  var editing = null;
  function lost() {
    var a = document.activeElement;
    return !a || a === document.body || a.disabled || !a.isConnected;
  }
  document.addEventListener("htmx:before:swap", function () {
    var a = document.activeElement;
    var editor = a && a.closest && a.closest(".editor");
    var key = editor && editor.querySelector("input[name=key]");
    editing = key ? key.value : null;
  });
  document.addEventListener("htmx:after:settle", function () {
    if (!lost()) return;
    var cell = editing && document.querySelector('button.val[value="' + editing + '"]');
    var next = ["btn-forward", "btn-backward", "btn-update", "btn-step"].map(function (id) {
      return document.getElementById(id);
    }).filter(function (b) { return b && !b.disabled; })[0];
    var target = cell || next;
    if (target) target.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    setMotion(stored("bpl-motion", reduced ? "off" : "on") === "on");
    var summary = document.getElementById("builder-errors");  // a refused builder submit
    if (summary) summary.focus();
  });
})();
