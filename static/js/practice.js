// backprop-lab practice mode: what only the browser tab can keep. The Practice switch is
// remembered per tab (sessionStorage; the server renders the page from ?practice=1), every
// check the answer boxes return is recorded (sessionStorage "bpl-practice-checks"), and
// after Update the iteration's score is written from those records.
(function () {
  "use strict";
  var SWITCH = "bpl-practice", CHECKS = "bpl-practice-checks", MOST = 2000;

  function get(name) {
    try { return sessionStorage.getItem(name); } catch (e) { return null; }
  }
  function set(name, value) {
    try { sessionStorage.setItem(name, value); } catch (e) { /* storage off: not kept */ }
  }
  function checks() {
    try { return JSON.parse(get(CHECKS) || "[]"); } catch (e) { return []; }
  }

  // A tab that turned Practice on keeps it when the address lacks it (a link, a reload).
  if (/^\/n\/[^/]+$/.test(location.pathname) && get(SWITCH) === "1" &&
      !/[?&]practice=1/.test(location.search)) {
    location.replace(location.pathname + (location.search ? location.search + "&" : "?") +
      "practice=1" + location.hash);
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("#practice-switch button");
    if (b) set(SWITCH, b.dataset.practice);
  });

  function recordNew() {
    var list = null;
    document.querySelectorAll("[data-check]:not([data-recorded])").forEach(function (el) {
      el.setAttribute("data-recorded", "");
      var r;
      try { r = JSON.parse(el.getAttribute("data-check")); } catch (e) { return; }
      r.at = Date.now();
      list = list || checks();
      list.push(r);
    });
    if (list) set(CHECKS, JSON.stringify(list.slice(-MOST)));
  }

  // "7 of 9 right first time; you forgot the factor f′(z) in hidden layers (2 times)"
  function score(network, iteration) {
    var first = {}, slips = {};
    checks().forEach(function (r) {
      if (r.network !== network || r.iteration !== iteration) return;
      if (!(r.key in first)) first[r.key] = r.correct && !r.revealed;
      if (r.mistake) {
        var k = r.mistake_title + " in " + r.where + " layers";
        slips[k] = (slips[k] || 0) + 1;
      }
    });
    var keys = Object.keys(first);
    if (!keys.length) return "Iteration " + iteration + " is complete. You checked no values in it.";
    var right = keys.filter(function (k) { return first[k]; }).length;
    var text = "Iteration " + iteration + ": " + right + " of " + keys.length + " right first time";
    var worst = Object.keys(slips).sort(function (a, b) { return slips[b] - slips[a]; })[0];
    if (worst) text += "; you " + worst + (slips[worst] > 1 ? " (" + slips[worst] + " times)" : "");
    return text + ".";
  }
  function showScore() {
    var el = document.getElementById("practice-score");
    if (!el) return;
    var iteration = parseInt(el.dataset.iteration, 10);
    var text = score(el.dataset.network, iteration);
    if (el.textContent !== text) el.textContent = text;
  }

  function refresh() { recordNew(); showScore(); }
  document.addEventListener("DOMContentLoaded", function () {
    refresh();
    new MutationObserver(refresh).observe(document.body, { childList: true, subtree: true });
  });
})();
