// backprop-lab: Play's refreshes as numbers. Each refresh tells the server the layout the
// page shows (the digest on #diagram); when the refresh has the same layout the server
// answers with its numbers only (JSON, app/views/numbers.py): texts and attributes set in
// place, and the plots' small partials morphed in with htmx's own morph (those that change
// now and then only when they did: the page names the digests of those it holds). Any
// other answer is the partials of a full refresh, which htmx swaps as before.
(function () {
  "use strict";
  if (!window.htmx) return;
  var morph = null;
  var kept = {};  // id → digest of the partials the page holds as a numbers refresh sent them
  htmx.registerExtension("play-numbers", { init: function (api) { morph = api.morph; } });

  function onHtmx(name, handler) {
    document.addEventListener(name, handler);
    document.addEventListener(name.replace(/:/g, "-"), handler);
  }
  function isRefresh(ctx) {
    return /\/chunk$/.test(String((ctx && ctx.request && ctx.request.action) || ""));
  }

  onHtmx("htmx:config:request", function (e) {
    var ctx = e.detail && e.detail.ctx, drawn = document.getElementById("diagram");
    if (!isRefresh(ctx) || !ctx.request.body || !ctx.request.body.set) return;
    ctx.request.body.set("layout", (drawn && drawn.dataset.playLayout) || "");
    ctx.request.body.set("kept", Object.keys(kept).map(function (id) {
      return id + ":" + kept[id];
    }).join(" "));
  });

  onHtmx("htmx:after:request", function (e) {
    var ctx = e.detail && e.detail.ctx;
    var kind = ctx && ctx.response && ctx.response.headers && ctx.response.headers.get("Content-Type");
    // any other answer may redraw what the page holds: the next refresh sends it all again
    if (!isRefresh(ctx) || !/json/.test(kind || "")) { kept = {}; return; }
    e.preventDefault();
    if (!document.querySelector("#player.playing")) {
      // Paused meanwhile: the page's current state, saying where training stands (as lab.js
      // does for a whole refresh)
      var query = location.search + (location.search ? "&" : "?") + "paused=1";
      htmx.ajax("GET", location.pathname + query, { target: "#lab", swap: "outerMorph" });
      return;
    }
    var drawn = document.getElementById("diagram");
    if (!apply(JSON.parse(ctx.text)) && drawn) drawn.dataset.playLayout = "";  // then a full one
  });

  // Every number in place; false when an element it names is missing (the next refresh
  // then asks for the whole markup).
  function apply(numbers) {
    var whole = true;
    numbers.set.forEach(function (s) {
      var el = document.getElementById(s[0]);
      if (el && s[1]) el = el.querySelector(s[1]);
      if (!el) { whole = false; return; }
      if (!s[2]) { if (el.textContent !== s[3]) el.textContent = s[3]; }
      else if (el.getAttribute(s[2]) !== s[3]) el.setAttribute(s[2], s[3]);
    });
    numbers.html.forEach(function (h) {
      var el = document.getElementById(h[0]);
      if (!el) { whole = false; return; }
      var t = document.createElement("template");
      t.innerHTML = h[1];
      if (morph) morph(el, t.content, false); else el.replaceWith(t.content);
      var now = document.getElementById(h[0]);
      if (now) htmx.process(now);
      if (h[2]) kept[h[0]] = h[2]; else delete kept[h[0]];
    });
    return whole;
  }
})();
