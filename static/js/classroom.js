// backprop-lab in a classroom: My networks (the networks this browser created or copied,
// kept in its own localStorage: the server never lists networks) and the share panel's
// Copy button. Every text goes in with textContent, never as markup.
(function () {
  "use strict";
  var KEY = "bpl-networks";  // [{id, title, layers, iteration, at}], newest first
  var PENDING = "bpl-new";  // sessionStorage: a create or copy form was just sent
  var KEEP = 50;  // networks remembered at most
  var FRESH_MS = 120000;  // how long after the form the new page may take to arrive

  function read() {
    try {
      var list = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (n) { return n && typeof n.id === "string"; }) : [];
    } catch (e) { return []; }
  }
  function write(list) {
    try { localStorage.setItem(KEY, JSON.stringify(list.slice(0, KEEP))); } catch (e) { /* private mode */ }
  }
  function remember(entry) {
    var list = read().filter(function (n) { return n.id !== entry.id; });
    list.unshift(entry);
    write(list);
  }
  function forget(id) { write(read().filter(function (n) { return n.id !== id; })); }
  function update(id, changes) {
    write(read().map(function (n) { return n.id === id ? Object.assign({}, n, changes) : n; }));
  }
  function session(name, value) {
    try {
      if (value === undefined) return sessionStorage.getItem(name);
      if (value === null) sessionStorage.removeItem(name); else sessionStorage.setItem(name, value);
    } catch (e) { return null; }
    return null;
  }

  // A form that creates a network (a preset, the builder, an import, Make my own copy) says
  // so; the edit page it leads to is then remembered.
  document.addEventListener("submit", function (e) {
    if (e.target.closest && e.target.closest("[data-creates]")) session(PENDING, String(Date.now()));
  });

  function recordArrival() {
    var sent = parseInt(session(PENDING) || "0", 10);
    var page = document.querySelector("[data-network-id]");
    if (!sent) return;
    if (page && Date.now() - sent < FRESH_MS) {
      remember({
        id: page.dataset.networkId, title: page.dataset.title || "",
        layers: page.dataset.layers || "", iteration: Number(page.dataset.iteration || 0),
        at: Date.now()
      });
    }
    session(PENDING, null);  // a refused form (the start page again) leaves nothing behind
  }

  // ---- the start page's list ----
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function name(n) { return n.title || ((n.layers || "?") + " network"); }

  function item(n) {
    var li = el("li", n.gone ? "gone" : "");
    li.id = "mine-" + n.id;
    if (n.gone) li.appendChild(el("span", "net-title", name(n)));
    else {
      var a = el("a", "net-title", name(n));
      a.href = "/n/" + encodeURIComponent(n.id);
      li.appendChild(a);
    }
    var facts = (n.layers || "?") + (n.activations ? " · " + n.activations : "") +
      " · iteration " + (n.iteration || 0);
    li.appendChild(el("span", "net-facts", n.gone ? "deleted: this network no longer exists" : facts));
    var button = el("button", "small forget", "Forget");
    button.type = "button";
    button.dataset.forget = n.id;
    button.setAttribute("aria-label", "Forget " + name(n));
    li.appendChild(button);
    return li;
  }

  function render(section) {
    var list = read();
    var ul = section.querySelector("ul");
    ul.textContent = "";
    list.forEach(function (n) { ul.appendChild(item(n)); });
    ul.hidden = list.length === 0;
    section.querySelector(".empty").hidden = list.length > 0;
    section.hidden = false;
  }

  function refresh(section) {
    read().forEach(function (n) {
      fetch("/api/networks/" + encodeURIComponent(n.id), { headers: { Accept: "application/json" } })
        .then(function (r) {
          if (r.status === 404) { update(n.id, { gone: true }); return null; }
          return r.ok ? r.json() : null;
        })
        .then(function (s) {
          if (s) {
            update(n.id, {
              gone: false, title: s.title || "", layers: (s.layers || []).join("–"),
              activations: (s.activations || []).join(", "), iteration: s.iteration
            });
          }
          render(section);
        })
        .catch(function () { /* offline: the list as it was */ });
    });
  }

  document.addEventListener("click", function (e) {
    var forgetting = e.target.closest && e.target.closest("[data-forget]");
    if (forgetting) {
      var section = forgetting.closest("#my-networks");
      var next = forgetting.closest("li").nextElementSibling || forgetting.closest("li").previousElementSibling;
      var nextId = next && next.id;
      forget(forgetting.dataset.forget);
      render(section);
      var target = nextId && document.getElementById(nextId);
      target = target && target.querySelector("[data-forget]");
      (target || document.getElementById("my-networks-title")).focus();
      document.getElementById("my-networks-status").textContent =
        "Forgotten in this browser; the network itself is not deleted.";
      return;
    }
    var copying = e.target.closest && e.target.closest("[data-copy]");
    if (copying) copy(copying);
  });

  // ---- the share panel's Copy button ----
  function copy(button) {
    var input = document.getElementById(button.dataset.copy);
    var said = document.getElementById(button.dataset.copy + "-copied");
    if (!input) return;
    function done(ok) { if (said) said.textContent = ok ? "Copied." : "Select the link and copy it."; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { done(false); });
    } else {
      input.focus();
      input.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
  }

  // A title set on the page (htmx swaps the lab region only) reaches the tab's title too.
  function retitle() {
    var heading = document.getElementById("lab-title");
    if (heading) document.title = heading.textContent.trim() + " · backprop-lab";
  }
  document.addEventListener("htmx:after:settle", retitle);
  document.addEventListener("htmx-after-settle", retitle);

  document.addEventListener("DOMContentLoaded", function () {
    recordArrival();
    var section = document.getElementById("my-networks");
    if (section) { render(section); refresh(section); }
  });
})();
