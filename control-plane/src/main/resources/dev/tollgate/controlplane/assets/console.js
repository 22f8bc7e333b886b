// Tollgate console: live updates on top of pages that work without this script.
// The run page's log follows the run through Server-Sent Events (resuming from the last line
// shown), scrolls with new lines unless the reader scrolled up, and filters by stream and text.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var conn = document.getElementById("conn");

  function connection(state, text) {
    if (!conn) return;
    conn.hidden = false;
    conn.className = "conn " + state;
    conn.textContent = text;
  }

  // A Server-Sent Events stream that comes back by itself. The browser retries a dropped stream
  // every 2 s, but gives up for good when a retry is answered with an error status (a server that
  // is stopping answers 503); then this opens a new one, waiting 1, 2, 4 … up to 15 s between
  // tries. url() is asked on every try, so a log resumes after the last line shown.
  function stream(url, listeners, onOpen) {
    var delay = 1000;
    var open = function () {
      var source = new EventSource(url());
      source.onopen = function () { delay = 1000; onOpen(); };
      source.onerror = function () {
        connection("down", "reconnecting…");
        if (source.readyState === EventSource.CLOSED) {
          window.setTimeout(open, delay);
          delay = Math.min(delay * 2, 15000);
        }
      };
      Object.keys(listeners).forEach(function (name) {
        source.addEventListener(name, listeners[name]);
      });
    };
    open();
  }

  // The header's figures follow the server through one shared stream (GET /api/live): counts of
  // queued, running and stale runs and of locked environments. When they change, the runboard's
  // lanes and running runs (or the board's columns) are fetched again as the server renders them
  // and swapped in, unless the reader is typing in them.
  var liveBox = document.getElementById("live");
  if (liveBox && liveBox.dataset.live && window.EventSource) {
    var seen = null;
    var set = function (id, value) {
      var el = document.getElementById(id);
      if (el && value !== undefined) el.textContent = String(value);
    };
    var show = function (id, visible) {
      var el = document.getElementById(id);
      if (el) el.hidden = !visible;
    };
    var refresh = function () {
      var region = document.querySelector("[data-refresh]");
      if (!region || region.contains(document.activeElement) || !window.fetch) return;
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
          if (fresh) region.replaceWith(document.importNode(fresh, true));
        })
        .catch(function () { /* the next change tries again */ });
    };
    var onSummary = function (m) {
      var s = JSON.parse(m.data);
      if (!log) connection("live", "live");
      set("h-queued", s.queued);
      set("h-running", s.running);
      set("h-stale", s.stale);
      show("h-stale-box", s.stale > 0);
      set("h-locked", s.locked);
      show("h-locked-box", s.locked > 0);
      var region = document.querySelector("[data-refresh]");
      if (seen && region) {
        var runsMoved = s.queued !== seen.queued || s.running !== seen.running || s.stale !== seen.stale;
        if ((region.dataset.refresh === "runs" && runsMoved)
            || (region.dataset.refresh === "board" && s.board !== seen.board)) {
          refresh();
        }
      }
      seen = s;
    };
    stream(function () { return liveBox.dataset.live; }, { summary: onSummary }, function () {
      if (!log) connection("live", "live");
    });
  }

  // A promotion being deployed: poll its state until the deploy ends. The page reloads once the
  // deploy's log exists (so the log below follows it live) and once more when it has ended, so
  // that what the server renders (release, backup, last attempt) is what the reader sees.
  var follow = document.getElementById("promotion-fields");
  if (follow && follow.dataset.follow && window.fetch) {
    var badge = document.getElementById("promotion-status");
    var delay = 1000;
    var poll = function () {
      fetch(follow.dataset.follow, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (p) {
          connection("live", "following");
          delay = 1000;
          if (badge && badge.textContent !== p.status) {
            badge.textContent = p.status;
            badge.className = "status " + p.status;
          }
          var ended = !p.deploying && (p.status === "deployed" || p.status === "rolled_back"
            || p.status === "approved" || p.status === "pending");
          if (ended || (p.logRunId && !log)) {
            window.location.reload();
            return;
          }
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          connection("down", "reconnecting…");
          delay = Math.min(delay * 2, 15000);
          window.setTimeout(poll, delay);
        });
    };
    window.setTimeout(poll, delay);
  }

  if (!log || !log.dataset.stream || !window.EventSource) return;

  var streamFilter = document.getElementById("log-stream");
  var search = document.getElementById("log-search");

  function kindOf(li) {
    var c = li.className;
    return c === "stdout" || c === "stderr" ? c : "events";
  }

  function visible(li) {
    var want = streamFilter ? streamFilter.value : "";
    var text = search ? search.value.toLowerCase() : "";
    return (!want || kindOf(li) === want) && (!text || li.textContent.toLowerCase().indexOf(text) >= 0);
  }

  function refilter() {
    Array.prototype.forEach.call(log.children, function (li) { li.hidden = !visible(li); });
  }
  if (streamFilter) streamFilter.addEventListener("change", refilter);
  if (search) search.addEventListener("input", refilter);

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
  }

  function span(cls, text) {
    var s = document.createElement("span");
    s.className = cls;
    s.textContent = text; // never HTML: log lines are data
    return s;
  }

  function append(e) {
    var follow = nearBottom();
    var li = document.createElement("li");
    li.className = e.stream || e.kind;
    li.dataset.seq = e.seq;
    li.appendChild(span("at", e.at || ""));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(span("stream", e.stream || e.kind));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(span("text", e.message || ""));
    li.hidden = !visible(li);
    log.appendChild(li);
    if (follow) window.scrollTo(0, document.body.scrollHeight);
  }

  var last = log.lastElementChild ? Number(log.lastElementChild.dataset.seq) : 0;
  var onLog = function (m) {
    var e = JSON.parse(m.data);
    if (e.seq > last) {
      last = e.seq;
      append(e);
    }
  };
  var onStatus = function (m) {
    var s = JSON.parse(m.data).status;
    var badge = document.querySelector("h1 .status");
    if (badge) {
      badge.textContent = s;
      badge.className = "status " + s;
    }
    if (s === "success" || s === "error" || s === "cancelled") {
      var cancel = document.querySelector(".buttons .danger");
      if (cancel) cancel.hidden = true;
    }
  };
  connection("connecting", "connecting…");
  stream(
    function () { return log.dataset.stream + (last ? "?after=" + last : ""); },
    { log: onLog, status: onStatus },
    function () { connection("live", "live"); });
})();
