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
          var ended = !p.deploying && (p.status === "deployed" || p.status === "rolled_back" || p.status === "failed"
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

  // The template editor checks its text as it is typed (300 ms after the last key) with the
  // API's check, which answers what the form's Check button renders: every problem with its line
  // and column, and the diff to commit. Answers to older text are dropped.
  var yaml = document.getElementById("editor-yaml");
  if (yaml && yaml.dataset.check && window.fetch) {
    var status = document.getElementById("editor-status");
    var problems = document.getElementById("editor-problems");
    var diff = document.getElementById("editor-diff");
    var noDiff = document.getElementById("editor-nodiff");
    var token = yaml.form.querySelector("input[name=csrf]").value;
    var timer = null;
    var asked = 0;
    var goTo = function (line, column) {
      var lines = yaml.value.split("\n");
      var at = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
      at += Math.max(0, column - 1);
      yaml.focus();
      yaml.setSelectionRange(at, at);
    };
    problems.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-line]");
      if (b) goTo(Number(b.dataset.line), Number(b.dataset.column));
    });
    var show = function (d) {
      var summary = "";
      if (d.template) {
        var t = d.template;
        var params = Object.keys((t.paramsSchema && t.paramsSchema.properties) || {});
        summary = "Lane " + t.lane + " · parameters: " + (params.join(", ") || "none") +
          " · steps: " + t.steps.map(function (s) { return s.name + " (" + s.kind + ")"; }).join(", ");
      }
      status.textContent = (d.problems.length ? d.problems.length + " problem(s). " : "No problems. ") + summary;
      problems.textContent = "";
      d.problems.forEach(function (p) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button";
        b.className = "link";
        b.dataset.line = p.line || 0;
        b.dataset.column = p.column || 0;
        b.textContent = p.file + (p.line ? ":" + p.line + ":" + (p.column || 1) : "");
        li.appendChild(b);
        li.appendChild(document.createTextNode(" " + p.message));
        if (p.hint) li.appendChild(span("meta", " " + p.hint));
        problems.appendChild(li);
      });
      diff.textContent = "";
      d.diff.split("\n").forEach(function (line, i, all) {
        if (i === all.length - 1 && line === "") return;
        var kind = /^(\+\+\+|---)/.test(line) ? "file" : line.charAt(0) === "@" ? "hunk" :
          line.charAt(0) === "+" ? "add" : line.charAt(0) === "-" ? "del" : "same";
        diff.appendChild(span(kind, line));
      });
      noDiff.hidden = d.diff !== "";
    };
    var check = function () {
      var mine = ++asked;
      status.textContent = "Checking…";
      fetch(yaml.dataset.check, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-Tollgate-CSRF": token },
        body: JSON.stringify({ name: yaml.dataset.name, yaml: yaml.value })
      })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (d) { if (mine === asked) show(d); })
        .catch(function () { if (mine === asked) status.textContent = "Could not check; the Check button still works."; });
    };
    yaml.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 300);
    });
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
    // Only a run's own page shows the run's status; elsewhere (a promotion) the log is another's.
    var badge = document.getElementById("run-status");
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
