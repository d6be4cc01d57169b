/* The site's own script: small, no dependencies, no requests to other hosts.
 *
 * Every page works without it; it adds what plain links cannot do:
 *  - the chooser offers the document that suits the browser's languages (an offer, not a redirect);
 *  - each clause gets a button that copies its link;
 *  - the region and language menus close with Escape, a click elsewhere, or focus leaving them;
 *  - the theme's drawer opens from the keyboard;
 *  - printed pages show where each link points;
 *  - the compare page redlines any two versions from their published document.json files, with
 *    the same rules as generator/diff.py (clauses by id, paragraphs aligned, then words).
 */
(function () {
  "use strict";

  /* Chooser ------------------------------------------------------------------------------- */

  // A jurisdiction whose id is a country code (br, cn) or eu is suggested to browsers whose
  // language tag names that country; "eu" covers the member states of the EEA. One within a
  // country (us-ca) never is: a language tag names at most the country.
  var EEA = ("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE " +
    "IS LI NO").split(" ");

  function parseTag(tag) {
    var parts = String(tag).split(/[-_]/);
    var language = parts[0].toLowerCase();
    var script = "";
    var region = "";
    parts.slice(1).forEach(function (part) {
      if (/^[A-Za-z]{4}$/.test(part)) script = part[0].toUpperCase() + part.slice(1).toLowerCase();
      else if (/^([A-Za-z]{2}|\d{3})$/.test(part) && !region) region = part.toUpperCase();
    });
    if (language === "zh" && !script) {
      script = ["TW", "HK", "MO"].indexOf(region) >= 0 ? "Hant" : "Hans";
    }
    return {language: language, script: script, region: region};
  }

  function regionMatches(jurisdiction, region) {
    if (!region) return false;
    var id = jurisdiction.toUpperCase();
    return id === region || (id === "EU" && EEA.indexOf(region) >= 0);
  }

  function languageScore(offered, wanted) {
    var a = parseTag(offered);
    var b = parseTag(wanted);
    if (a.language !== b.language) return 0;
    if (a.script && b.script && a.script !== b.script) return 0;
    if (offered.toLowerCase() === wanted.toLowerCase()) return 3;
    return a.region && a.region === b.region ? 2 : 1;
  }

  /** The chooser link that suits the browser's languages best, or null. */
  function suggest(links, preferred) {
    if (!links.length || !preferred.length) return null;
    var regions = preferred.map(function (tag) { return parseTag(tag).region; }).filter(Boolean);
    var jurisdictions = [];
    links.forEach(function (a) {
      if (jurisdictions.indexOf(a.dataset.jurisdiction) < 0) jurisdictions.push(a.dataset.jurisdiction);
    });
    var jurisdiction = null;
    for (var r = 0; r < regions.length && !jurisdiction; r++) {
      var found = jurisdictions.filter(function (j) { return regionMatches(j, regions[r]); });
      if (found.length) jurisdiction = found[0];
    }
    // Without a region of our own, the first (most general) jurisdiction; the law that applies
    // matters more than the language, so a region found keeps its own default language.
    var candidates = links.filter(function (a) {
      return a.dataset.jurisdiction === (jurisdiction || jurisdictions[0]);
    });
    for (var p = 0; p < preferred.length; p++) {
      var best = null;
      var score = 0;
      candidates.forEach(function (a) {
        var s = languageScore(a.dataset.language, preferred[p]);
        if (s > score) { best = a; score = s; }
      });
      if (best) return best;
    }
    return jurisdiction ? candidates[0] : null;
  }

  function setUpChooser() {
    var chooser = document.querySelector("[data-policy-chooser]");
    var box = document.querySelector("[data-policy-suggestion]");
    if (!chooser || !box) return;
    var links = Array.prototype.slice.call(chooser.querySelectorAll("a[data-language]"));
    var preferred = navigator.languages && navigator.languages.length
      ? Array.prototype.slice.call(navigator.languages)
      : [navigator.language || ""];
    var pick = suggest(links, preferred.filter(Boolean));
    if (!pick) return;
    pick.classList.add("policy-chooser__suggested");
    var offer = document.createElement("a");
    offer.className = "policy-suggestion__link";
    offer.href = pick.getAttribute("href");
    // In the language of its words: the document's, or English where the site has no words in it.
    offer.lang = pick.dataset.suggestionLang;
    offer.dir = pick.dataset.suggestionDir;
    offer.hreflang = pick.hreflang;
    offer.textContent = pick.dataset.suggestion;
    var arrow = document.createElement("span");
    arrow.setAttribute("aria-hidden", "true");
    arrow.className = "policy-suggestion__arrow";
    arrow.textContent = offer.dir === "rtl" ? "←" : "→";
    offer.appendChild(arrow);
    box.appendChild(offer);
    box.hidden = false;
  }

  /* Copy a clause's link ----------------------------------------------------------------- */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy"));
    });
  }

  function setUpCopyButtons() {
    var buttons = document.querySelectorAll("[data-policy-copy]");
    var status = document.querySelector("[data-policy-status]");
    if (!buttons.length) return;
    document.documentElement.classList.add("policy-js");
    var timer = null;
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        // The clause's address: not the search words a search result added (`?h=`).
        var url = new URL("#" + button.dataset.policyCopy, location.href);
        url.search = "";
        url = url.href;
        function done(message, copied) {
          Array.prototype.forEach.call(buttons, function (b) { b.classList.remove("is-copied"); });
          if (copied) button.classList.add("is-copied");
          if (status) {
            status.textContent = message;
            status.classList.add("is-visible");
          }
          clearTimeout(timer);
          timer = setTimeout(function () {
            button.classList.remove("is-copied");
            if (status) { status.classList.remove("is-visible"); status.textContent = ""; }
          }, 2500);
        }
        copyText(url).then(
          function () { done(status ? status.dataset.copied : "", true); },
          function () {
            history.replaceState(null, "", "#" + button.dataset.policyCopy);
            done(status ? status.dataset.copyFailed : "", false);
          }
        );
      });
    });
  }

  /* Region and language menus ------------------------------------------------------------ */

  function setUpMenus() {
    var menus = Array.prototype.slice.call(document.querySelectorAll("[data-policy-menu]"));
    if (!menus.length) return;
    menus.forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (!menu.open) return;
        menus.forEach(function (other) { if (other !== menu) other.open = false; });
      });
      // Focus that leaves an open menu would land on links its list covers (WCAG 2.4.11).
      menu.addEventListener("focusout", function (event) {
        if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) {
          menu.open = false;
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      menus.forEach(function (menu) {
        if (!menu.open) return;
        var inside = menu.contains(document.activeElement);
        menu.open = false;
        if (inside) menu.querySelector("summary").focus();
      });
    });
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
  }

  /* The theme's menu button --------------------------------------------------------------- */

  // Below the widest layout the theme opens its drawer (the table of contents) with a label of
  // a hidden check box, which the keyboard never reaches (WCAG 2.1.1). It becomes a button:
  // Tab stops at it, Enter or Space opens the drawer, Escape closes it again.
  function setUpDrawerButton() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector('.md-header label.md-header__button[for="__drawer"]');
    var nav = document.querySelector(".md-nav--primary");
    if (!toggle || !label) return;
    label.setAttribute("role", "button");
    label.tabIndex = 0;
    if (nav && nav.getAttribute("aria-label")) {
      label.setAttribute("aria-label", nav.getAttribute("aria-label"));
    }
    function expanded() { label.setAttribute("aria-expanded", String(toggle.checked)); }
    expanded();
    toggle.addEventListener("change", expanded);
    label.addEventListener("keydown", function (event) {
      if (event.key !== " ") return;  // the theme itself clicks a focused label on Enter
      event.preventDefault();
      label.click();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !toggle.checked) return;
      label.click();  // as a reader's click does: the theme follows the check box's change
      label.focus();
    });
  }

  /* Print: the address of every link ------------------------------------------------------ */

  function setUpPrint() {
    var content = document.querySelector(".md-content");
    if (!content) return;
    // Without the site's address, the build could not write a version's permanent address:
    // the copy says where it was printed from.
    var source = content.querySelector("[data-policy-print-source]");
    if (source) {
      source.querySelector("span").textContent = location.href.split("#")[0];
      source.hidden = false;
    }
    // Links' addresses where the site is published (from its canonical address, when the build
    // knew the site's), not those of the mirror or the copy a page is printed from.
    var canonical = document.querySelector('link[rel="canonical"]');
    var base = canonical ? canonical.href : location.href;
    Array.prototype.forEach.call(content.querySelectorAll("a[href]"), function (a) {
      var href = a.getAttribute("href");
      if (!href || href.charAt(0) === "#" || a.classList.contains("headerlink")) return;
      var shown = new URL(href, base).href.replace(/^mailto:/, "");
      if (a.textContent.trim() === shown) return;
      a.setAttribute("data-print-href", shown);
    });
  }

  /* The error page: in the language of the document whose address the missing one begins with,
     with a link to that document's policy in force (404.html has the words of every language and
     the link to every document, hidden). */
  function setUpNotFound() {
    var page = document.querySelector("[data-policy-not-found]");
    if (!page) return;
    var base = page.dataset.policyNotFound, path = location.pathname;
    if (path.indexOf(base) !== 0) return;
    var rest = path.slice(base.length).toLowerCase() + "/";
    var link = Array.prototype.find.call(page.querySelectorAll("[data-policy-document]"), function (a) {
      return rest.indexOf(a.dataset.policyDocument) === 0;
    });
    if (!link) return;
    var words = link.closest("[data-policy-words]");
    Array.prototype.forEach.call(page.querySelectorAll("[data-policy-words]"), function (each) {
      each.hidden = each !== words;
    });
    link.parentNode.hidden = false;
    // The page is in that language now (the tab's title a screen reader announces, and the
    // direction of the frame), except the search box, whose words are built in once.
    var root = document.documentElement;
    if (words.lang && words.lang !== root.lang) {
      var search = document.querySelector(".md-search");
      if (search) { search.lang = root.lang; search.dir = root.dir || "ltr"; }
      root.lang = words.lang;
      root.dir = words.dir || "ltr";
      // The theme writes the site's direction on the body too, which would win over the page's.
      if (document.body.hasAttribute("dir")) document.body.dir = root.dir;
    }
    // The frame names the page and the site in the same language as the words.
    var heading = words.querySelector("h1").textContent, name = words.dataset.policySiteName;
    var site = document.querySelector(".md-header__topic:not([data-md-component]) .md-ellipsis");
    document.title = heading + " - " + (name || (site ? site.textContent.trim() : document.title));
    [[".md-header__topic:not([data-md-component]) .md-ellipsis", name],
     ["[data-md-component=header-topic] .md-ellipsis", heading]].forEach(function (pair) {
      var shown = document.querySelector(pair[0]);
      if (!shown || !pair[1]) return;
      shown.textContent = pair[1];
      shown.lang = words.lang;
      shown.dir = words.dir;
    });
  }

  /* Compare two versions ------------------------------------------------------------------ */

  /** difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), for arrays of strings. */
  function opcodes(a, b) {
    var b2j = new Map();
    b.forEach(function (item, j) {
      if (!b2j.has(item)) b2j.set(item, []);
      b2j.get(item).push(j);
    });
    function longest(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, bestsize = 0;
      var j2len = new Map();
      for (var i = alo; i < ahi; i++) {
        var next = new Map();
        var js = b2j.get(a[i]) || [];
        for (var n = 0; n < js.length; n++) {
          var j = js[n];
          if (j < blo) continue;
          if (j >= bhi) break;
          var k = (j2len.get(j - 1) || 0) + 1;
          next.set(j, k);
          if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
        }
        j2len = next;
      }
      return [besti, bestj, bestsize];
    }
    var queue = [[0, a.length, 0, b.length]];
    var blocks = [];
    while (queue.length) {
      var q = queue.pop();
      var m = longest(q[0], q[1], q[2], q[3]);
      if (m[2]) {
        blocks.push(m);
        if (q[0] < m[0] && q[2] < m[1]) queue.push([q[0], m[0], q[2], m[1]]);
        if (m[0] + m[2] < q[1] && m[1] + m[2] < q[3]) queue.push([m[0] + m[2], q[1], m[1] + m[2], q[3]]);
      }
    }
    blocks.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
    var merged = [];
    var i1 = 0, j1 = 0, k1 = 0;
    blocks.forEach(function (block) {
      if (i1 + k1 === block[0] && j1 + k1 === block[1]) {
        k1 += block[2];
      } else {
        if (k1) merged.push([i1, j1, k1]);
        i1 = block[0]; j1 = block[1]; k1 = block[2];
      }
    });
    if (k1) merged.push([i1, j1, k1]);
    merged.push([a.length, b.length, 0]);
    var result = [];
    var i = 0, j = 0;
    merged.forEach(function (block) {
      var tag = i < block[0] && j < block[1] ? "replace" : i < block[0] ? "delete" : j < block[1] ? "insert" : "";
      if (tag) result.push([tag, i, block[0], j, block[1]]);
      i = block[0] + block[2];
      j = block[1] + block[2];
      if (block[2]) result.push(["equal", block[0], i, block[1], j]);
    });
    return result;
  }

  /* diff.py's tokens, character for character: a run of spaces (Python's \s), one Kana or Han
     character (scripts written without spaces: each is a word), a word (Python's \w: letters,
     numbers and _, with apostrophes), or any other single character. */
  var SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f";
  var WORD = "\\p{L}\\p{N}_";
  var TOKEN = new RegExp("[" + SPACE + "]+|[" + CJK + "]|(?:(?![" + CJK + "])[" + WORD + "’'])+|" +
    "[^" + WORD + SPACE + "]", "gu");
  var ONLY_SPACE = new RegExp("^[" + SPACE + "]+$", "u");
  var SPACES = new RegExp("[" + SPACE + "]+", "gu");
  var MAX_WORD_PAIRS = 100000, MAX_LOOKAHEAD = 50, SIMILAR = 0.5;  /* as in diff.py */
  var EQUAL = "equal", INSERTED = "inserted", DELETED = "deleted";

  function append(segments, edit, text) {
    if (!text) return;
    var last = segments[segments.length - 1];
    if (last && last[0] === edit) last[1] += text;
    else segments.push([edit, text]);
  }

  function commonPrefix(a, b) {
    var count = 0;
    while (count < a.length && count < b.length && a[count] === b[count]) count++;
    return count;
  }

  /** diff.py's _opcodes: difflib's, at a bounded cost (long texts compared only between their
      common start and end, and a changed middle still too long taken as one replacement). */
  function boundedOpcodes(a, b) {
    if (a.length * b.length <= MAX_WORD_PAIRS) return opcodes(a, b);
    var start = commonPrefix(a, b);
    var end = commonPrefix(a.slice(start).reverse(), b.slice(start).reverse());
    var aEnd = a.length - end, bEnd = b.length - end;
    var result = [];
    if (start) result.push([EQUAL, 0, start, 0, start]);
    if ((aEnd - start) * (bEnd - start) > MAX_WORD_PAIRS) {
      result.push(["replace", start, aEnd, start, bEnd]);
    } else if (aEnd > start || bEnd > start) {
      opcodes(a.slice(start, aEnd), b.slice(start, bEnd)).forEach(function (op) {
        result.push([op[0], op[1] + start, op[2] + start, op[3] + start, op[4] + start]);
      });
    }
    if (end) result.push([EQUAL, aEnd, a.length, bEnd, b.length]);
    return result;
  }

  /** diff.py's _words_first: an inserted or deleted run that starts with a space is moved one
      token on when the text after it starts with that space too, so that its mark begins at a word. */
  function wordsFirst(ops, a, b) {
    ops = ops.slice();
    var result = [];
    ops.forEach(function (op, index) {
      var edit = op[0] === "delete" ? a.slice(op[1], op[2]) : b.slice(op[3], op[4]);
      var following = ops[index + 1];
      if ((op[0] !== "insert" && op[0] !== "delete") || edit.length < 2 || !ONLY_SPACE.test(edit[0]) ||
          !following || following[0] !== EQUAL || following[2] - following[1] < 2 ||
          a[following[1]] !== edit[0]) {
        result.push(op);
        return;
      }
      var last = result[result.length - 1], p1 = op[1], q1 = op[3];
      if (last && last[0] === EQUAL) { result.pop(); p1 = last[1]; q1 = last[3]; }
      result.push([EQUAL, p1, op[1] + 1, q1, op[3] + 1]);
      var deleted = op[0] === "delete" ? 1 : 0;
      result.push([op[0], op[1] + 1, op[2] + deleted, op[3] + 1, op[4] + 1 - deleted]);
      ops[index + 1] = [EQUAL, following[1] + 1, following[2], following[3] + 1, following[4]];
    });
    return result;
  }

  /** diff.py's _bridge_spaces: spaces kept between two changes become part of them. */
  function bridgeSpaces(ops, b) {
    var result = [];
    ops.forEach(function (op, index) {
      var bridge = op[0] === EQUAL && index > 0 && index < ops.length - 1 &&
        b.slice(op[3], op[4]).every(function (token) { return ONLY_SPACE.test(token); });
      var last = result[result.length - 1];
      if ((op[0] !== EQUAL || bridge) && last && last[0] === "replace") {
        result[result.length - 1] = ["replace", last[1], op[2], last[3], op[4]];
      } else if (op[0] !== EQUAL || bridge) {
        result.push(["replace", op[1], op[2], op[3], op[4]]);
      } else {
        result.push(op);
      }
    });
    return result;
  }

  /** diff.py's diff_words: stretches of equal, deleted and inserted text. */
  function diffWords(oldText, newText) {
    var a = oldText.match(TOKEN) || [];
    var b = newText.match(TOKEN) || [];
    var segments = [];
    bridgeSpaces(wordsFirst(boundedOpcodes(a, b), a, b), b).forEach(function (op) {
      if (op[0] === EQUAL) { append(segments, EQUAL, b.slice(op[3], op[4]).join("")); return; }
      if (op[2] > op[1]) append(segments, DELETED, a.slice(op[1], op[2]).join(""));
      if (op[4] > op[3]) append(segments, INSERTED, b.slice(op[3], op[4]).join(""));
    });
    return segments;
  }

  /** difflib's quick_ratio and ratio, for two token lists. */
  function quickRatio(a, b) {
    var available = new Map(), matches = 0;
    b.forEach(function (token) { available.set(token, (available.get(token) || 0) + 1); });
    a.forEach(function (token) {
      var left = available.get(token) || 0;
      available.set(token, left - 1);
      if (left > 0) matches++;
    });
    return a.length + b.length ? 2 * matches / (a.length + b.length) : 1;
  }

  function ratio(a, b) {
    var matches = 0;
    opcodes(a, b).forEach(function (op) { if (op[0] === EQUAL) matches += op[2] - op[1]; });
    return a.length + b.length ? 2 * matches / (a.length + b.length) : 1;
  }

  /** diff.py's _similar: alike enough to be shown as one edited paragraph. */
  function similar(oldText, newText) {
    var a = oldText.match(TOKEN) || [], b = newText.match(TOKEN) || [];
    if (quickRatio(a, b) < SIMILAR) return false;
    return a.length * b.length > MAX_WORD_PAIRS || ratio(a, b) >= SIMILAR;
  }

  function plainText(node) {
    var parts = [];
    (function walk(n) {
      if (n.nodeType === 3) { parts.push(n.nodeValue); return; }
      if (n.nodeType !== 1) return;
      if (/^(P|LI|BR|H[3-6]|TR|TH|TD)$/.test(n.nodeName)) parts.push(" ");
      Array.prototype.forEach.call(n.childNodes, walk);
    })(node);
    return parts.join("").replace(SPACES, " ").replace(/^ | $/g, "");
  }

  /** A clause's blocks (paragraphs, list items, sub-headings), as blocks.py splits its source. */
  function blocksOf(html) {
    var body = new DOMParser().parseFromString(html, "text/html").body;
    var blocks = [];
    function add(prefix, element) {
      var links = Array.prototype.map.call(element.querySelectorAll("a"), function (a) {
        return [plainText(a), a.getAttribute("href") || ""];
      });
      blocks.push({prefix: prefix, key: prefix + element.innerHTML, text: plainText(element), links: links});
    }
    Array.prototype.forEach.call(body.children, function (element) {
      var heading = /^H([3-6])$/.exec(element.nodeName);
      if (heading) add("######".slice(0, Number(heading[1])) + " ", element);
      else if (element.nodeName === "UL" || element.nodeName === "OL") {
        var number = Number(element.getAttribute("start") || 1);
        Array.prototype.forEach.call(element.children, function (item, index) {
          add(element.nodeName === "UL" ? "- " : number + index + ". ", item);
        });
      } else add("", element);
    });
    return blocks;
  }

  function whole(block, edit) {
    return {prefix: block.prefix, segments: [[edit, block.text]], links: [], restyled: false};
  }

  /** diff.py's link_changes: the links of a paragraph that lead elsewhere, are new or are gone. */
  function linkChanges(oldLinks, newLinks) {
    if (oldLinks.length === newLinks.length) {
      var changed = [];
      newLinks.forEach(function (link, i) {
        if (oldLinks[i][1] !== link[1]) changed.push({text: link[0], before: oldLinks[i][1], after: link[1]});
      });
      return changed;
    }
    var gone = oldLinks.slice(), added = [];
    newLinks.forEach(function (link) {
      var found = gone.findIndex(function (old) { return old[1] === link[1]; });
      if (found < 0) added.push({text: link[0], before: null, after: link[1]});
      else gone.splice(found, 1);
    });
    return gone.map(function (link) { return {text: link[0], before: link[1], after: null}; }).concat(added);
  }

  /** diff.py's diff_paragraphs: blocks aligned, then each removed block paired, in order, with the
      first later added one it resembles (diff.py's _replace), and each pair diffed word by word. */
  function diffParagraphs(oldBlocks, newBlocks) {
    var result = [];
    var keys = function (blocks) { return blocks.map(function (b) { return b.key; }); };
    opcodes(keys(oldBlocks), keys(newBlocks)).forEach(function (op) {
      if (op[0] === EQUAL) {
        newBlocks.slice(op[3], op[4]).forEach(function (b) { result.push(whole(b, EQUAL)); });
        return;
      }
      var added = newBlocks.slice(op[3], op[4]), start = 0;
      oldBlocks.slice(op[1], op[2]).forEach(function (before) {
        var match = -1;
        for (var j = start; j < Math.min(added.length, start + MAX_LOOKAHEAD); j++) {
          if (similar(before.text, added[j].text)) { match = j; break; }
        }
        if (match < 0) { result.push(whole(before, DELETED)); return; }
        added.slice(start, match).forEach(function (b) { result.push(whole(b, INSERTED)); });
        var after = added[match], links = linkChanges(before.links, after.links);
        result.push({
          prefix: after.prefix || before.prefix,
          segments: diffWords(before.text, after.text),
          links: links,
          restyled: !links.length && before.text === after.text &&
            before.key.slice(before.prefix.length) !== after.key.slice(after.prefix.length),
        });
        start = match + 1;
      });
      added.slice(start).forEach(function (b) { result.push(whole(b, INSERTED)); });
    });
    return result;
  }

  function movedClauses(oldOrder, newOrder) {
    var commonOld = oldOrder.filter(function (c) { return newOrder.indexOf(c) >= 0; });
    var commonNew = newOrder.filter(function (c) { return oldOrder.indexOf(c) >= 0; });
    var kept = new Set();
    opcodes(commonOld, commonNew).forEach(function (op) {
      if (op[0] === "equal") for (var j = op[3]; j < op[4]; j++) kept.add(commonNew[j]);
    });
    return new Set(commonNew.filter(function (c) { return !kept.has(c); }));
  }

  function mergedOrder(oldOrder, newOrder) {
    var result = newOrder.slice();
    oldOrder.forEach(function (id, index) {
      if (result.indexOf(id) >= 0) return;
      var previous = null;
      for (var k = index - 1; k >= 0; k--) {
        if (result.indexOf(oldOrder[k]) >= 0) { previous = oldOrder[k]; break; }
      }
      result.splice(previous === null ? 0 : result.indexOf(previous) + 1, 0, id);
    });
    return result;
  }

  /** renames.py's continued_ids: old id -> new id, for each clause of the older version that
   * one of the newer continues under another id (formerIds: the newer version's, by new id). */
  function continuedIds(oldIds, newIds, formerIds) {
    var continued = new Map();
    Object.keys(formerIds).forEach(function (now) {
      if (!newIds.has(now) || oldIds.has(now)) return;
      formerIds[now].forEach(function (former) {
        if (oldIds.has(former) && !newIds.has(former)) continued.set(former, now);
      });
    });
    return continued;
  }

  /** diff.py's diff_documents on two published document.json objects, with the newer version's
   * former ids (the compare page's data-policy-compare-formers). */
  function diffDocuments(oldDoc, newDoc, formerIds) {
    var newClauses = new Map();
    newDoc.clauses.forEach(function (c) { newClauses.set(c.id, c); });
    var continued = continuedIds(
      new Set(oldDoc.clauses.map(function (c) { return c.id; })), newClauses, formerIds || {});
    var oldClauses = new Map();
    oldDoc.clauses.forEach(function (c) { oldClauses.set(continued.get(c.id) || c.id, c); });
    var oldOrder = Array.from(oldClauses.keys()), newOrder = Array.from(newClauses.keys());
    var moved = movedClauses(oldOrder, newOrder);
    var changes = [];
    mergedOrder(oldOrder, newOrder).forEach(function (id) {
      var before = oldClauses.get(id), after = newClauses.get(id);
      if (!after) {
        changes.push({id: id, type: "removed", title: before.title, oldTitle: null, moved: false,
          renamedFrom: null,
          paragraphs: blocksOf(before.html).map(function (b) { return whole(b, DELETED); })});
        return;
      }
      if (!before) {
        changes.push({id: id, type: "added", title: after.title, oldTitle: null, moved: false,
          renamedFrom: null,
          paragraphs: blocksOf(after.html).map(function (b) { return whole(b, INSERTED); })});
        return;
      }
      var same = before.html === after.html && before.title === after.title;
      if (same && !moved.has(id)) return;
      changes.push({
        id: id,
        type: same ? "moved" : "changed",
        title: after.title,
        oldTitle: before.title !== after.title ? before.title : null,
        moved: moved.has(id),
        renamedFrom: before.id !== id ? before.id : null,
        paragraphs: diffParagraphs(blocksOf(before.html), blocksOf(after.html)),
      });
    });
    return changes;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The site's own words as the pages write them (templating.py's _ForeignWords): in a span marked with
  // their language where it is not the page's (`strings.lang`: English, for a language without an
  // interface catalog), else as text.
  function words(strings, text) {
    if (!strings.lang) return document.createTextNode(text);
    var node = element("span", "", text);
    node.lang = strings.lang;
    node.dir = strings.dir;
    return node;
  }

  // White space but the no-break spaces, which a line may end after: pages.py's _OPENING_SPACE.
  var OPENING_SPACE = new RegExp(
    "^[\\t-\\r\\x1c-\\x20\\x85\\u1680\\u2000-\\u2006\\u2008-\\u200a\\u2028\\u2029\\u205f\\u3000]+", "u");

  // templates/_macros.html's marked: words for a screen reader at both ends of the marked text,
  // the words in a span that takes the line under or through them without crossing the sign
  // (policy.css), and a space they begin with written before the mark (pages.py's opening_space).
  function marked(tag, strings, label, end, text) {
    var out = document.createDocumentFragment();
    var space = OPENING_SPACE.exec(text);
    if (space && space[0].length < text.length) {
      out.append(space[0]);
      text = text.slice(space[0].length);
    }
    var node = out.appendChild(element(tag));
    var start = element("span", "policy-sr");
    start.append(words(strings, label), " ");
    node.appendChild(start);
    node.appendChild(element("span", "policy-redline__words", text));
    var close = element("span", "policy-sr");
    close.append(" ", words(strings, end));
    node.appendChild(close);
    return out;
  }

  function renderChange(change, strings) {
    var section = element("section", "policy-clause policy-redline policy-redline--" + change.type);
    section.setAttribute("aria-labelledby", change.id);
    if (change.renamedFrom) {
      var former = element("span", "policy-clause__former");
      former.id = change.renamedFrom;
      section.appendChild(former);
    }
    var heading = element("h2", "", change.title + " ");
    heading.id = change.id;
    var badge = {
      added: strings.new_section,
      removed: strings.section_removed,
      moved: strings.section_moved,
      changed: change.moved ? strings.section_changed_moved : strings.section_changed,
    }[change.type];
    heading.appendChild(element("span", "policy-badge")).appendChild(words(strings, badge));
    section.appendChild(heading);
    if (change.oldTitle) {
      var title = element("p", "policy-redline__title");
      title.append(words(strings, strings.previously_titled), " ");
      title.appendChild(marked("del", strings, strings.removed, strings.removed_end, change.oldTitle));
      section.appendChild(title);
    }
    // Sub-headings and runs of list items get the roles templating.redline_runs gives them.
    var list = null;
    change.paragraphs.forEach(function (paragraph) {
      var p = element("p", "policy-redline__paragraph");
      if (paragraph.prefix.charAt(0) === "#") {
        p.classList.add("policy-redline__heading");
        p.setAttribute("role", "heading");
        p.setAttribute("aria-level", String(Math.min(Math.max(paragraph.prefix.trim().length, 3), 6)));
      } else if (paragraph.prefix) {
        p.classList.add("policy-redline__item");
        p.setAttribute("role", "listitem");
        var marker = element("span", "policy-redline__marker",
          paragraph.prefix.charAt(0) === "-" ? "•" : paragraph.prefix.trim());
        marker.setAttribute("aria-hidden", "true");
        p.appendChild(marker);
      }
      if (!paragraph.prefix || paragraph.prefix.charAt(0) === "#") list = null;
      else if (!list) {
        list = element("div", "policy-redline__list");
        list.setAttribute("role", "list");
        section.appendChild(list);
      }
      paragraph.segments.forEach(function (segment) {
        if (segment[0] === INSERTED) p.appendChild(marked("ins", strings, strings.added, strings.added_end, segment[1]));
        else if (segment[0] === DELETED) p.appendChild(marked("del", strings, strings.removed, strings.removed_end, segment[1]));
        else p.appendChild(document.createTextNode(segment[1]));
      });
      // The notes of templates/_macros.html's unseen_changes.
      paragraph.links.forEach(function (link) {
        var template = link.before === null ? strings.link_added
          : link.after === null ? strings.link_removed : strings.link_changed;
        var note = p.appendChild(element("span", "policy-redline__note"));
        isolating(strings.lang ? note.appendChild(words(strings, "")) : note, template, link, strings);
      });
      if (paragraph.restyled) {
        p.appendChild(element("span", "policy-redline__note")).appendChild(words(strings, strings.restyled));
      }
      (list || section).appendChild(p);
    });
    return section;
  }

  // The sections that differ, each a link to its redline below, as a redline page's table of
  // contents lists them (a comparison is drawn here, after the theme made its table of contents).
  function renderContents(changes, strings) {
    var nav = element("nav", "policy-compare__contents");
    nav.setAttribute("aria-label", strings.contents);
    // Named in the site's words, listing the policy's titles (as _macros.html's menus are: their
    // language, not their direction, which lays them out as the page).
    if (strings.lang) nav.lang = strings.lang;
    var list = element("ol");
    changes.forEach(function (change) {
      var link = element("a", "", change.title);
      if (strings.lang) { link.lang = strings.page_lang; link.dir = strings.page_dir; }
      link.href = "#" + encodeURIComponent(change.id);
      var item = element("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    nav.appendChild(list);
    return nav;
  }

  /** `template` with each value put in as text of its own (<bdi>), as _macros.html's
      unseen_changes does: an address keeps its order in a right-to-left sentence, and a link's
      words keep the page's language in a sentence in the site's (`strings.lang`). */
  function isolating(node, template, values, strings) {
    template.split(/%\((\w+)\)s/).forEach(function (part, index) {
      if (index % 2 === 0) { node.appendChild(document.createTextNode(part)); return; }
      var value = node.appendChild(element("bdi", "", String(values[part])));
      // A link's words are the page's; its addresses are in no language, and keep their own
      // direction (_macros.html's `address`).
      if (strings.lang && part === "text") { value.lang = strings.page_lang; value.dir = strings.page_dir; }
    });
    return node;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  /** bidi.py's `isolate` for the text the script draws: each [value, direction] the page lists,
   *  wherever a text node shows it (longest first, whole words, any white space for a space), in a
   *  <bdi> of its direction, so that "Example Shop Ltd." reads whole in an Arabic sentence. */
  function isolateValues(root, isolated) {
    if (!isolated.length) return;
    var word = "[\\p{L}\\p{N}_]";
    var directions = {};
    var alternatives = isolated.slice().sort(function (a, b) { return b[0].length - a[0].length; })
      .map(function (pair) {
        var words = pair[0].trim().split(/\s+/);
        directions[words.join(" ")] = pair[1];
        var body = words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"); })
          .join("\\s+");
        var before = new RegExp("^" + word, "u").test(words[0]) ? "(?<!" + word + ")" : "";
        var after = new RegExp(word + "$", "u").test(words[words.length - 1]) ? "(?!" + word + ")" : "";
        return before + body + after;
      });
    var pattern = new RegExp(alternatives.join("|"), "gu");
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
    nodes.forEach(function (node) {
      var text = node.data, end = 0, parts = document.createDocumentFragment();
      text.replace(pattern, function (found, at) {
        parts.appendChild(document.createTextNode(text.slice(end, at)));
        var bdi = document.createElement("bdi");
        bdi.dir = directions[found.split(/\s+/).join(" ")] || "ltr";
        bdi.textContent = found;
        parts.appendChild(bdi);
        end = at + found.length;
        return found;
      });
      if (!end) return;
      parts.appendChild(document.createTextNode(text.slice(end)));
      node.parentNode.replaceChild(parts, node);
    });
  }

  function setUpCompare() {
    var form = document.querySelector("[data-policy-compare]");
    if (!form) return;
    // Hidden until now: without the script, the form could compare nothing.
    form.hidden = false;
    document.querySelector("[data-policy-compare-legend]").hidden = false;
    var strings = JSON.parse(document.querySelector("[data-policy-compare-strings]").textContent);
    var formers = JSON.parse(document.querySelector("[data-policy-compare-formers]").textContent);
    var listed = document.querySelector("[data-policy-compare-isolated]");
    var isolated = listed ? JSON.parse(listed.textContent) : [];
    var status = document.querySelector("[data-policy-compare-status]");
    var output = document.querySelector("[data-policy-compare-result]");
    var base = new URL(form.dataset.policyCompare, location.href);
    var cache = {};
    function load(number) {
      if (!cache[number]) {
        cache[number] = fetch(new URL(number + "/document.json", base)).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        });
      }
      return cache[number];
    }
    var run = 0;
    // A link to one section of a comparison (`#<clause id>`) lands on it once it is drawn.
    var landing = location.hash;
    function compare() {
      var a = Number(form.elements.from.value), b = Number(form.elements.to.value);
      // A redline reads from the older version to the newer: the choices say so too.
      if (a > b) {
        form.elements.from.value = String(b);
        form.elements.to.value = String(a);
        a = Number(form.elements.from.value);
        b = Number(form.elements.to.value);
      }
      var query = "?from=" + a + "&to=" + b;
      if (location.search !== query) history.replaceState(null, "", query + location.hash);
      output.textContent = "";
      if (a === b) { status.textContent = strings.same_version; return; }
      var older = Math.min(a, b), newer = Math.max(a, b);
      var mine = ++run;
      status.textContent = strings.loading;
      Promise.all([load(older), load(newer)]).then(function (docs) {
        if (mine !== run) return;
        var changes = diffDocuments(docs[0], docs[1], formers[newer]);
        status.textContent = format(strings.summary, {old: older, new: newer, count: changes.length});
        if (!changes.length) output.appendChild(element("p")).appendChild(words(strings, strings.no_change));
        if (changes.length > 1) output.appendChild(renderContents(changes, strings));
        changes.forEach(function (change) { output.appendChild(renderChange(change, strings)); });
        isolateValues(output, isolated);
        var target = landing && document.getElementById(decodeURIComponent(landing.slice(1)));
        landing = "";
        if (target && output.contains(target)) target.scrollIntoView();
      }, function () {
        if (mine === run) status.textContent = strings.failed;
      });
    }
    var params = new URLSearchParams(location.search);
    var missing = [];
    ["from", "to"].forEach(function (name) {
      var select = form.elements[name];
      var wanted = params.get(name);
      if (wanted && select.querySelector('option[value="' + Number(wanted) + '"]')) select.value = String(Number(wanted));
      // A link to a version this document does not have is said so, not silently replaced.
      else if (wanted && missing.indexOf(wanted) < 0) missing.push(wanted);
      select.addEventListener("change", compare);
    });
    var notice = document.querySelector("[data-policy-compare-missing]");
    if (missing.length && notice) {
      notice.textContent = missing.map(function (wanted) {
        return format(strings.missing, {number: wanted.slice(0, 20)});
      }).join(" ");
      notice.hidden = false;
      form.addEventListener("change", function () { notice.hidden = true; });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); compare(); });
    compare();
  }

  window.policyDiff = {
    blocks: blocksOf, diffDocuments: diffDocuments, diffParagraphs: diffParagraphs,
    diffWords: diffWords, suggest: suggest, tokens: function (text) { return text.match(TOKEN) || []; },
    isolate: isolateValues,
  };

  setUpChooser();
  setUpCopyButtons();
  setUpMenus();
  setUpDrawerButton();
  setUpPrint();
  setUpNotFound();
  setUpCompare();
})();
