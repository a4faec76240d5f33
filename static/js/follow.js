// backprop-lab: follow the network live. The lab region (#lab) names its event stream
// (data-follow: GET /api/watch/{watch_id}/events) and the version it shows (data-version).
// On a watch page (data-watching) each `change` event carries the region already rendered
// for this page's view (its query: focus, sample, decimals, mode; its text-size cookies),
// which is morphed in place; the edit page's other tabs fetch their own region instead, as
// a change of text size does (lab.js). The stream opens again when the view changes.
(function () {
  "use strict";
  var source = null;   // the EventSource
  var opened = "";     // the stream's URL without `seen`
  var latest = null;   // the newest change event not shown yet
  var inFlight = 0;    // requests of this page under way (its own changes, view changes)

  function lab() { return document.getElementById("lab"); }
  // The version shown: the region's, or the status line's when newer (Play's refreshes
  // swap the status line and the plots, not the whole region).
  function shown() {
    var version = 0;
    ["lab", "status"].forEach(function (id) {
      var el = document.getElementById(id);
      var v = el ? parseInt(el.getAttribute("data-version") || "0", 10) || 0 : 0;
      version = Math.max(version, v);
    });
    return version;
  }
  function watching() { var el = lab(); return !!el && el.hasAttribute("data-watching"); }

  function onHtmx(name, handler) {  // base.html's meta character "-": either spelling
    document.addEventListener(name, handler);
    document.addEventListener(name.replace(/:/g, "-"), handler);
  }

  // The stream for this page as it is now: the view's parameters for a watch page.
  function streamFor() {
    var el = lab();
    if (!el || !el.getAttribute("data-follow")) return "";
    var query = new URLSearchParams();
    if (watching()) {
      var here = new URLSearchParams(location.search);
      ["focus", "sample", "digits", "mode", "log", "thumbs", "discrete", "present", "practice"].forEach(function (k) {
        if (here.has(k)) query.set(k, here.get(k));
      });
      query.set("fragment", "1");
    }
    var text = query.toString();
    return el.getAttribute("data-follow") + (text ? "?" + text : "");
  }

  function connect() {
    var want = streamFor();
    if (want === opened && source) return;
    if (source) source.close();
    source = null;
    opened = want;
    if (!want || !window.EventSource) return;
    source = new EventSource(want + (want.indexOf("?") < 0 ? "?" : "&") + "seen=" + shown());
    source.addEventListener("change", function (e) {
      var data;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      data.stream = want;  // rendered for the view this stream was opened in
      if (data.version > shown()) { latest = data; apply(); }
    });
    source.addEventListener("deleted", function () {
      source.close();
      source = null;
      var el = lab();
      if (el) el.setAttribute("data-deleted", "");
      var where = document.getElementById("where");
      if (where) where.textContent = "This network has been deleted; this page shows it as it last was.";
    });
  }

  // Not while this page waits for its own answer, nor while its reader types in a field
  // of the region (the change waits for the field to be left), nor in the edit page's
  // tab that is playing (its own refreshes show every change); a region rendered for a
  // view the page has left is dropped (the stream opened for the new view sends anew).
  function typing() {
    var a = document.activeElement, el = lab();
    return !!(a && el && el.contains(a) && a.matches("input, select, textarea"));
  }

  function apply() {
    var change = latest, el = lab();
    if (!change || !el || change.version <= shown() || inFlight > 0 || typing()) return;
    if (!watching() && el.classList.contains("playing")) return;
    latest = null;
    if (change.stream !== streamFor()) return;
    if (change.html !== undefined) {
      htmx.swap({ text: change.html, target: "#lab", swap: "outerMorph", sourceElement: el });
    } else {
      htmx.ajax("GET", location.pathname + location.search, { target: "#lab", swap: "outerMorph" });
    }
  }

  onHtmx("htmx:before:request", function () { inFlight++; });
  onHtmx("htmx:finally:request", function () {
    inFlight = Math.max(0, inFlight - 1);
    setTimeout(apply, 0);
  });
  onHtmx("htmx:after:settle", function () { connect(); });
  document.addEventListener("focusout", function () { setTimeout(apply, 0); });
  window.addEventListener("popstate", function () { setTimeout(connect, 0); });
  window.addEventListener("pagehide", function () { if (source) source.close(); source = null; opened = ""; });
  window.addEventListener("pageshow", function () { connect(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", connect);
  else connect();
})();
