/* 站内检索 (govdisclose-static-site): searches the static index search/index.json and its shards
 * in the browser. Every word of the query (split at spaces) must occur in the title, the 文号,
 * the 索引号 or the issuing body. Without JavaScript the form leads to the catalogue. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list || !window.fetch) { return; }
  var LIMIT = 50;
  var items = null;

  function norm(text) {
    return (text || "").normalize("NFKC").toLowerCase();
  }

  function load() {
    if (items) { return Promise.resolve(items); }
    return fetch("index.json").then(function (r) {
      if (!r.ok) { throw new Error("index.json: " + r.status); }
      return r.json();
    }).then(function (index) {
      return Promise.all(index.shards.map(function (name) {
        return fetch(name).then(function (r) {
          if (!r.ok) { throw new Error(name + ": " + r.status); }
          return r.json();
        });
      }));
    }).then(function (shards) {
      items = [];
      shards.forEach(function (shard) {
        shard.forEach(function (it) {
          it.text = norm([it.t, it.n, it.i, it.a].join(" "));
          items.push(it);
        });
      });
      items.sort(function (a, b) { return a.d < b.d ? 1 : a.d > b.d ? -1 : 0; });
      return items;
    });
  }

  function show(query, found) {
    list.textContent = "";
    found.slice(0, LIMIT).forEach(function (it) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "../" + it.u;
      a.textContent = it.t;
      li.appendChild(a);
      var meta = document.createElement("div");
      meta.className = "muted";
      meta.textContent = [it.a, it.n, it.d].filter(Boolean).join(" · ");
      li.appendChild(meta);
      list.appendChild(li);
    });
    if (!found.length) {
      status.textContent = "没有找到与“" + query + "”相关的信息。可以按主题、发布机构或年份浏览政府信息公开目录。";
    } else if (found.length > LIMIT) {
      status.textContent = "找到 " + found.length + " 条，显示最新的 " + LIMIT + " 条；请增加检索词缩小范围。";
    } else {
      status.textContent = "找到 " + found.length + " 条。";
    }
  }

  function run(query) {
    var words = norm(query).split(/\s+/).filter(Boolean);
    if (!words.length) { status.textContent = "请输入检索词。"; list.textContent = ""; return; }
    status.textContent = "正在检索……";
    load().then(function (all) {
      show(query, all.filter(function (it) {
        return words.every(function (w) { return it.text.indexOf(w) !== -1; });
      }));
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

  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; run(given); }
})();
