/* 站内检索 (govdisclose-static-site): searches the static index under search/ in the browser.
 * Every word of the query (split at spaces) must occur in the title, the 文号, the 索引号 or the
 * issuing body. A query reads index.json, the postings of its rarest characters (t/<hex>.json)
 * and only the blocks of records it shows (b/<n>.json), never the whole catalogue
 * (govdisclose_static_site._search describes the layout). Without JavaScript the form leads
 * to the catalogue. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  if (!form || !input || !status || !list || !window.fetch) { return; }
  var PAGE = 20;
  var MAX_TERMS = 4;
  var index = null;
  var blocks = {};
  var current = null;

  function norm(text) {
    return (text || "").normalize("NFKC").toLowerCase();
  }

  function json(path) {
    return fetch(path).then(function (r) {
      if (!r.ok) { throw new Error(path + ": " + r.status); }
      return r.json();
    });
  }

  function loadIndex() {
    if (index) { return Promise.resolve(index); }
    return json("index.json").then(function (data) { index = data; return data; });
  }

  function termFile(term) {
    return term.length > 1 ? "t/w-" + term + ".json"
      : "t/" + term.codePointAt(0).toString(16) + ".json";
  }

  function postings(term) {
    return json(termFile(term)).then(function (gaps) {
      var out = new Set();
      var seq = 0;
      gaps.forEach(function (gap, n) { seq = n === 0 ? gap : seq + gap; out.add(seq); });
      return out;
    });
  }

  var ASCII = /^[a-z0-9]$/;

  // The ASCII words (runs of 2 to 40 letters and digits) of a normalised text.
  function asciiWords(chars) {
    var out = [];
    var run = "";
    chars.concat([" "]).forEach(function (c) {
      if (ASCII.test(c)) { run += c; return; }
      if (run.length >= 2 && run.length <= 40) { out.push(run); }
      run = "";
    });
    return out;
  }

  // The terms of the query's words (a known ASCII word is one term, other characters each
  // one) and the ASCII words a result must hold whole (govdisclose_static_site._search).
  function queryTerms(words, known) {
    var terms = [];
    var whole = [];
    function add(list, t) { if (list.indexOf(t) === -1) { list.push(t); } }
    words.forEach(function (w) {
      var chars = Array.from(w);
      var start = 0;
      for (var i = 0; i <= chars.length; i += 1) {
        if (i < chars.length && ASCII.test(chars[i])) { continue; }
        var run = chars.slice(start, i).join("");
        if (run.length >= 2 && run.length <= 40 && run in known) {
          add(terms, run); add(whole, run);
        } else {
          chars.slice(start, i).forEach(function (c) { add(terms, c); });
        }
        if (i < chars.length) { add(terms, chars[i]); }
        start = i + 1;
      }
    });
    return {terms: terms.filter(function (t) { return !/^\s$/.test(t); }), whole: whole};
  }

  function block(number) {
    if (!blocks[number]) {
      blocks[number] = json("b/" + number + ".json").then(function (items) {
        var bySeq = {};
        items.forEach(function (it) {
          it.text = norm([it.t, it.n, it.i, it.a].join(" "));
          bySeq[it.s] = it;
        });
        return bySeq;
      });
    }
    return blocks[number];
  }

  function candidates(search) {
    var terms = index.terms;
    var query = queryTerms(search.words, terms);
    search.whole = query.whole;
    var chars = query.terms;
    if (chars.some(function (c) { return !(c in terms); })) { return Promise.resolve([]); }
    chars.sort(function (a, b) {
      return terms[a] - terms[b] || (a < b ? -1 : a > b ? 1 : 0);
    });
    return Promise.all(chars.slice(0, MAX_TERMS).map(postings)).then(function (sets) {
      var found = [];
      sets[0].forEach(function (seq) {
        if (sets.every(function (s) { return s.has(seq); })) { found.push(seq); }
      });
      found.sort(function (a, b) { return b - a; });
      return found;
    });
  }

  function matches(it, search) {
    if (!search.words.every(function (w) { return it.text.indexOf(w) !== -1; })) { return false; }
    if (!search.whole.length) { return true; }
    var own = asciiWords(Array.from(it.text));
    return search.whole.every(function (w) { return own.indexOf(w) !== -1; });
  }

  function item(it) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = "../" + it.u;
    a.textContent = it.t;
    li.appendChild(a);
    var meta = document.createElement("div");
    meta.className = "muted";
    // Each part on one line (a 文号 is never broken before its 号).
    [it.a, it.n, it.d].filter(Boolean).forEach(function (part, n) {
      if (n) { meta.appendChild(document.createTextNode(" · ")); }
      var span = document.createElement("span");
      span.className = "nowrap";
      span.textContent = part;
      meta.appendChild(span);
    });
    li.appendChild(meta);
    return li;
  }

  // Reads the blocks of the next candidates until PAGE more results are shown.
  function next(search) {
    var shown = 0;
    function step() {
      if (search !== current) { return Promise.resolve(); }
      if (search.at >= search.candidates.length || shown >= PAGE) { return Promise.resolve(); }
      var seq = search.candidates[search.at];
      return block(Math.floor(seq / index.block)).then(function (bySeq) {
        search.at += 1;
        var it = bySeq[seq];
        if (it && matches(it, search)) {
          list.appendChild(item(it));
          search.found += 1;
          shown += 1;
        }
        return step();
      });
    }
    return step().then(function () { report(search); });
  }

  function report(search) {
    if (search !== current) { return; }
    var done = search.at >= search.candidates.length;
    if (more) { more.hidden = done; }
    if (!search.found) {
      status.textContent = "没有找到与“" + search.query + "”相关的信息。可以按主题、发布机构或年份浏览政府信息公开目录。";
    } else if (done) {
      status.textContent = "找到 " + search.found + " 条。";
    } else {
      status.textContent = "找到 " + search.found + " 条以上，按发布先后显示；可点击“显示更多”或增加检索词缩小范围。";
    }
  }

  function run(query) {
    var words = norm(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (more) { more.hidden = true; }
    if (!words.length) { status.textContent = "请输入检索词。"; current = null; return; }
    status.textContent = "正在检索……";
    var search = {query: query, words: words, whole: [], candidates: [], at: 0, found: 0};
    current = search;
    loadIndex().then(function () { return candidates(search); }).then(function (found) {
      search.candidates = found;
      return next(search);
    }).catch(function () {
      status.textContent = "检索索引无法读取，请按政府信息公开目录浏览。";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    if (window.history && history.replaceState) {
      history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    }
    run(query);
  });

  if (more) {
    more.addEventListener("click", function () {
      if (current) {
        status.textContent = "正在检索……";
        next(current).catch(function () {
          status.textContent = "检索索引无法读取，请按政府信息公开目录浏览。";
        });
      }
    });
  }

  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; run(given); }
})();
