/* Stimmen coding form: keyboard shortcuts, a code filter and segments. The form works without this file:
   then every ticked code applies to the whole answer.
   Offsets are counted in code points (Array.from), as Python counts them on the server. */
(function () {
  "use strict";

  var form = document.getElementById("coding-form");
  var answer = document.getElementById("answer-text");
  if (!form || !answer) return;

  var STORE_KEY = "stimmen.coding.singleKeys";
  var spanInputs = document.getElementById("span-inputs");
  var status = document.getElementById("coding-status");
  var filter = document.getElementById("code-filter");
  var memo = document.getElementById("memo");
  var quotable = document.getElementById("quotable");
  var singleKeys = document.getElementById("single-keys");
  var segmentBox = document.getElementById("segment-status");
  var segmentText = document.getElementById("segment-text");
  var chars = Array.from(answer.textContent);
  var machineMarks = [];
  try {
    machineMarks = JSON.parse(answer.getAttribute("data-marks") || "[]");
  } catch (e) {
    machineMarks = [];
  }
  var pending = null; /* {start, end}: the selected stretch the next ticked code gets */

  function msg(name) {
    return form.getAttribute("data-msg-" + name) || "";
  }

  function announce(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 30);
  }

  function codeBoxes(code) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="code"]'), function (box) {
      return box.getAttribute("data-code") === code;
    });
  }

  /* ------------------------------------------------------------------ segments */

  function spanInput(code) {
    return Array.prototype.find.call(spanInputs.querySelectorAll("input"), function (input) {
      return input.name === "span:" + code;
    });
  }

  function setSpan(code, span) {
    var input = spanInput(code);
    if (!span) {
      if (input) input.remove();
      return;
    }
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "span:" + code;
      spanInputs.appendChild(input);
    }
    input.value = span.start + "-" + span.end;
  }

  function segments() {
    var found = [];
    Array.prototype.forEach.call(spanInputs.querySelectorAll("input"), function (input) {
      var parts = /^(\d+)-(\d+)$/.exec(input.value);
      var code = input.name.slice(5);
      var box = codeBoxes(code)[0];
      if (parts) {
        found.push({
          start: +parts[1], end: +parts[2], kind: "segment", code: code,
          label: box ? box.getAttribute("data-label") : code
        });
      }
    });
    return found;
  }

  /* Redraw the answer with <mark> around every stretch, split where marks overlap (as the server does). */
  function redraw() {
    var marks = machineMarks.concat(segments()).filter(function (m) {
      return m.start >= 0 && m.start < m.end && m.end <= chars.length;
    });
    var cuts = [0, chars.length];
    marks.forEach(function (m) { cuts.push(m.start, m.end); });
    cuts = cuts.filter(function (v, i, all) { return all.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    var fragment = document.createDocumentFragment();
    for (var i = 0; i + 1 < cuts.length; i++) {
      var start = cuts[i], end = cuts[i + 1];
      var piece = chars.slice(start, end).join("");
      var covering = marks.filter(function (m) { return m.start <= start && end <= m.end; });
      if (!covering.length) {
        fragment.appendChild(document.createTextNode(piece));
        continue;
      }
      var mark = document.createElement("mark");
      var kinds = [], labels = [];
      covering.forEach(function (m) {
        if (kinds.indexOf(m.kind) < 0) kinds.push(m.kind);
        if (labels.indexOf(m.label) < 0) labels.push(m.label);
      });
      mark.className = kinds.sort().join(" ");
      mark.title = labels.join(", ");
      mark.textContent = piece;
      fragment.appendChild(mark);
    }
    answer.textContent = "";
    answer.appendChild(fragment);
  }

  function codePoints(node, offset) {
    var range = document.createRange();
    range.selectNodeContents(answer);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  function selectedStretch() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!range.intersectsNode(answer)) return null;
    var whole = document.createRange();
    whole.selectNodeContents(answer);
    var start = range.compareBoundaryPoints(Range.START_TO_START, whole) <= 0
      ? 0 : codePoints(range.startContainer, range.startOffset);
    var end = range.compareBoundaryPoints(Range.END_TO_END, whole) >= 0
      ? chars.length : codePoints(range.endContainer, range.endOffset);
    while (start < end && /\s/.test(chars[start])) start++;
    while (end > start && /\s/.test(chars[end - 1])) end--;
    return start < end ? { start: start, end: end } : null;
  }

  function showPending() {
    segmentBox.hidden = !pending;
    if (pending) {
      segmentText.textContent = msg("segment") + " “" + chars.slice(pending.start, pending.end).join("") + "” – " +
        msg("segment-hint");
    }
  }

  document.addEventListener("selectionchange", function () {
    var stretch = selectedStretch();
    if (stretch) {
      pending = stretch;
      showPending();
    }
  });
  document.getElementById("segment-clear").addEventListener("click", function () {
    pending = null;
    showPending();
  });

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "code") return;
    var code = box.getAttribute("data-code");
    codeBoxes(code).forEach(function (other) { other.checked = box.checked; });
    if (box.checked && pending) {
      setSpan(code, pending);
      pending = null;
      showPending();
      window.getSelection().removeAllRanges();
    } else if (!box.checked) {
      setSpan(code, null);
    }
    redraw();
    announce((box.checked ? msg("ticked") : msg("unticked")) + " " + box.getAttribute("data-label"));
  });

  /* ------------------------------------------------------------------ code filter */

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function visibleItems() {
    return Array.prototype.filter.call(form.querySelectorAll(".code-item"), function (item) { return !item.hidden; });
  }

  function applyFilter() {
    var query = normalise(filter.value.trim());
    form.querySelectorAll(".code-item").forEach(function (item) {
      item.hidden = query !== "" && normalise(item.getAttribute("data-search")).indexOf(query) < 0;
    });
    form.querySelectorAll(".code-group").forEach(function (group) {
      group.hidden = !group.querySelector(".code-item:not([hidden])");
    });
    var shown = visibleItems().length;
    announce(shown ? msg("matches") + " " + shown : msg("no-match"));
  }

  filter.addEventListener("input", applyFilter);
  filter.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      var first = visibleItems()[0];
      if (first) {
        first.querySelector('input[type="checkbox"]').click();
        filter.select();
      } else {
        announce(msg("no-match"));
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      filter.value = "";
      applyFilter();
      document.getElementById("codebook").focus();
    }
  });

  /* ------------------------------------------------------------------ shortcuts */

  function singleKeysOn() {
    return singleKeys.checked;
  }

  try {
    singleKeys.checked = window.localStorage.getItem(STORE_KEY) !== "off";
  } catch (e) { /* storage blocked: shortcuts stay on for this page */ }
  singleKeys.addEventListener("change", function () {
    try {
      window.localStorage.setItem(STORE_KEY, singleKeys.checked ? "on" : "off");
    } catch (e) { /* storage blocked */ }
  });

  function typing(element) {
    if (!element) return false;
    if (element.isContentEditable || element.tagName === "TEXTAREA" || element.tagName === "SELECT") return true;
    if (element.tagName !== "INPUT") return false;
    return ["checkbox", "radio", "button", "submit", "reset", "hidden"].indexOf(element.type) < 0;
  }

  function save() {
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      save();
      return;
    }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || !singleKeysOn()) return;
    var key = event.key;
    if (/^[1-9]$/.test(key)) {
      var box = form.querySelector('input[data-shortcut="' + key + '"]');
      if (box) {
        event.preventDefault();
        box.click();
      }
    } else if (key === "a") {
      event.preventDefault();
      form.querySelectorAll('.suggestions input[name="code"]').forEach(function (suggestion) {
        if (!suggestion.checked) suggestion.click();
      });
    } else if (key === "/") {
      event.preventDefault();
      filter.focus();
    } else if (key === "m") {
      event.preventDefault();
      memo.focus();
    } else if (key === "q" && quotable) {
      event.preventDefault();
      quotable.click();
      announce((quotable.checked ? msg("ticked") : msg("unticked")) + " " + quotable.getAttribute("data-label"));
    } else if (key === "s") {
      event.preventDefault();
      save();
    }
  });

  document.getElementById("code-filter-box").hidden = false;
  document.getElementById("shortcuts").hidden = false;
  redraw();
})();
