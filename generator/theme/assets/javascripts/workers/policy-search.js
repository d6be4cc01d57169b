/* The theme's search worker, with each Chinese or Japanese word of a query cut into the words of
 * the index.
 *
 * The theme cuts a Japanese page's text into words with TinySegmenter (lunr.ja), which cuts a word
 * by its context: お問い合わせ is one word before は, お|問い合わせ after に関する; 個人データ is
 * 個人|データ. A Chinese page's text is cut at build time by jieba. Neither cuts the query so:
 * the theme's worker cuts only runs of Han characters, by the words of the index, and never tries
 * a word that ends where the run ends (its segment(), whose loop stops at `j < query.length`), so
 * a run loses its last word (收货地址 searched 收货, 个人信息 个人) or, where a word begins with
 * another, becomes that beginning (我们 searched 我*); and each word of a query must begin a word
 * of the index: お問い合わせ and 個人データ found nothing. Here a query's Chinese or Japanese word
 * is cut into the fewest words of the index, and kept as it is too where it begins one; each of
 * its Han characters is escaped (\個), which the theme's lexer drops, so that the theme's cutting
 * sees one character at a time and keeps it. The page's script (theme/main.html) starts this
 * worker with the name of the theme's after the "#"; it is in the theme's folder, from whose
 * ../lunr the theme's worker loads the languages.
 *
 * It also folds the words, of the index and of each query alike, so that a word typed without its
 * accents or Arabic marks finds them (fold()): the theme's pipeline is the language's stop word
 * filter alone, and lunr runs no query word the theme makes a beginning (word*) through a search
 * pipeline. Each indexed word keeps its position, so a result marks the page's own text (données
 * for donnees). A hyphenated word is indexed whole as well as in parts (e-mail: e-mail's parts e
 * and mail, and email), and a query's hyphenated word is searched joined.
 */
(function () {
  "use strict";

  var QUERY = 2; // the theme's SearchMessageType.QUERY
  var CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/; // kana, ー, Han
  var HAN = /\p{sc=Han}/gu; // what the theme cuts (its own pattern)
  // A query word as lunr reads it: + (required) or - (prohibited), a field, the word, a closing *
  // (a beginning), then ~N (edit distance) and ^N (boost), in either order.
  var WORD = /^([+-]?)(?:(\w+):)?(.+?)(\*?)((?:[~^]\d*)*)$/;
  var index = null;
  var words = null; // the index's words, sorted, once it is built
  // Latin letters with no decomposition to a base letter, as a reader types them without a mark.
  var LETTERS = {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o",
    "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d"};
  // Arabic: alef with hamza or madda, and alef wasla, as bare alef; alef maksura as ya; ta
  // marbuta as ha. Arabic-Indic and Persian digits as ASCII digits.
  var ARABIC = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"};
  // The article ال, after و, ب, ف or ك too, and لل (ل before ال): longest first.
  var ARTICLE = /^(?:وال|بال|فال|كال|ال|لل)(?=..)/;

  var listen = self.addEventListener;
  self.addEventListener = function (type, listener, options) {
    var ours = type !== "message" ? listener : function (event) {
      var message = event.data;
      if (message && message.type === QUERY && typeof message.data === "string") {
        event = {data: {type: QUERY, data: cutQuery(message.data)}};
      }
      return listener.call(this, event);
    };
    return listen.call(self, type, ours, options);
  };
  var theirs = self.location.hash.slice(1);
  if (!/^search\.[\w.]+\.js$/.test(theirs)) throw new Error("Not the theme's worker: " + theirs);
  importScripts(theirs);

  function fold(word) {
    // Latin marks (U+0300-U+036F, after NFD) only: NFC puts kana's voicing marks and Hangul back.
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC")
      .replace(/[ßẞæÆœŒøØłŁđĐ]/g, function (c) { return LETTERS[c]; })
      // Arabic short vowels, tanwin, shadda, sukun (U+064B-U+0652), dagger alef, tatweel.
      .replace(/[\u064b-\u0652\u0670\u0640]/g, "")
      .replace(/[أإآٱىة]/g, function (c) { return ARABIC[c]; })
      .replace(/[\u0660-\u0669]/g, function (c) { return String(c.charCodeAt(0) - 0x660); })
      .replace(/[\u06f0-\u06f9]/g, function (c) { return String(c.charCodeAt(0) - 0x6f0); });
  }

  // First in the index's pipeline: a hyphenated word's parts, each of which the stop word filter
  // sees, then the word joined (email for e-mail). Each keeps the word's position.
  function hyphens(token) {
    var text = token.toString();
    if (text.indexOf("-") < 0) return token;
    var parts = text.split(/-+/).filter(Boolean);
    if (parts.length < 2) return parts.length ? token.update(function () { return parts[0]; })
      : undefined;
    return parts.concat([parts.join("")]).map(function (part) {
      return token.clone(function () { return part; });
    });
  }

  // Last in the index's pipeline, after the stop word filter, which knows words with their marks:
  // the word folded, and an Arabic word without its article too (خصوصيه for الخصوصية).
  function folded(token) {
    var word = fold(token.toString());
    var bare = word.replace(ARTICLE, "");
    var first = token.update(function () { return word; });
    return bare === word ? first : [first, token.clone(function () { return bare; })];
  }
  lunr.Pipeline.registerFunction(hyphens, "policyHyphens");
  lunr.Pipeline.registerFunction(folded, "policyFold");

  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function () {
    // The theme's builder has its language's pipeline by its first document.
    var stack = this.pipeline._stack;
    if (stack.indexOf(folded) < 0) {
      stack.unshift(hyphens);
      stack.push(folded);
    }
    return add.apply(this, arguments);
  };

  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {
    index = build.apply(this, arguments);
    words = null;
    return index;
  };

  function cutQuery(query) {
    if (!index) return query;
    return query.split(/(\s+)/).map(function (part) {
      return foldWord(part).map(cutWord).join(" ");
    }).join("");
  }

  function foldWord(part) {
    // The word folded as the index's words are, its operators and field kept. A hyphen inside it
    // joins its parts, as the index has them joined (lunr would search each part apart). An
    // elided word before an apostrophe (l'adresse, qu’il), a stop word or a word of one or two
    // letters, is passed over: made a beginning (l*), it would find every word it begins.
    var m = WORD.exec(part);
    if (!m || m[3].indexOf("\\") >= 0) return [part];
    var text = fold(m[3]).replace(/([^\s-])-+(?=[^\s-])/g, "$1");
    var parts = text.split(/['’]+/).filter(Boolean);
    var long = parts.filter(function (p) {
      return p.replace(/["«„“]/g, "").length > 2;
    });
    if (parts.length > 1 && long.length) parts = long;
    if (!parts.length) return [part];
    return parts.map(function (p) {
      return m[1] + (m[2] ? m[2] + ":" : "") + p + m[4] + m[5];
    });
  }

  function cutWord(part) {
    var m = WORD.exec(part);
    // Quotes say nothing to lunr here (it has no phrases); a word with another of its operators
    // inside, or an unknown field (which the theme makes a word), is left as written.
    var text = m && m[3].replace(/^"(.*)"$/, "$1").toLowerCase();
    if (!m || !CJK.test(text) || /["+\-~^:*\\]/.test(text)) return part;
    if (m[2] && index.fields.indexOf(m[2]) < 0) return part;
    var op = m[1];
    var field = m[2] ? m[2] + ":" : "";
    var mods = m[5].replace(/([~^])(?!\d)/g, "$11"); // the theme reads a bare ~ or ^ as ~1, ^1
    // The theme makes each word a beginning (word*) unless it has +, -, ~N or ^N.
    var plain = !op && !mods;
    var cut = fewestWords(text);
    // A word the index's words cannot make (a character no page has) is left to the theme, as
    // before: escaped whole, it would be searched as one word, and find nothing. One the index
    // has whole, or that begins one of its words, is searched whole.
    if (!cut && !has(text) && !begins(text)) return part;
    var words = (cut || [text]).map(function (word, i, all) {
      // A word but the last is whole; the last may be unfinished, unless the index has it and no
      // * follows (as the theme reads +word, word^2).
      return {word: word, whole: i < all.length - 1 || (!plain && !m[4] && has(word))};
    });
    if (op === "-") {
      // lunr cannot exclude only the sections that have every cut word (it has no phrases), and
      // excluding those with any would hide every お名前 for -お問い合わせ. Each section that has
      // the word has each of its whole words: exclude the one the fewest sections have (and the
      // word itself, where the index has it whole).
      var rarest = words.filter(function (w) { return w.whole; }).sort(function (a, b) {
        return sections(a.word) - sections(b.word);
      })[0];
      words = (cut && has(text) ? [{word: text, whole: true}] : []).concat(rarest || words.slice(-1));
    } else if (cut && !op && begins(text)) {
      // Kept whole too: one page may have it whole and another cut apart.
      words.unshift({word: text, whole: !plain && !m[4] && has(text)});
    }
    return words.map(function (w) {
      // ^1 keeps the theme from making a whole word a beginning, with which お would find every
      // お名前 and お届け; lunr reads * as a character in a word it matches by edit distance.
      var end = plain ? (w.whole ? "^1" : "") : (w.whole || /~/.test(mods) ? "" : "*") + mods;
      return op + field + w.word.replace(HAN, "\\$&") + end;
    }).join(" ");
  }

  function fewestWords(text) {
    // best[end]: the fewest words of the index that make text up to end, two at least (text may
    // be a word where one page has it whole and cut apart where another has it); the last word
    // may be begun only. A stop word (の, に), which the index leaves out, is passed over.
    var best = [[]];
    for (var end = 1; end <= text.length; end++) {
      for (var start = end === text.length ? 1 : 0; start < end; start++) {
        var word = text.slice(start, end);
        if (!best[start]) continue;
        var words = stop(word) ? best[start]
          : has(word) || (end === text.length && begins(word)) ? best[start].concat([word])
          : null;
        if (words && (!best[end] || words.length < best[end].length)) best[end] = words;
      }
    }
    var found = best[text.length];
    return found && found.length ? found : null;
  }

  function stop(word) {
    var filter = lunr.ja && lunr.ja.stopWordFilter;
    return Boolean(filter) && filter(word) === undefined;
  }

  function sections(word) {
    var found = {};
    var fields = index.invertedIndex[word];
    for (var field in fields) {
      if (field !== "_index") for (var ref in fields[field]) found[ref] = true;
    }
    return Object.keys(found).length;
  }

  function has(word) {
    return Object.prototype.hasOwnProperty.call(index.invertedIndex, word);
  }

  function begins(prefix) {
    words = words || Object.keys(index.invertedIndex).sort();
    var low = 0;
    var high = words.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (words[middle] < prefix) low = middle + 1;
      else high = middle;
    }
    return low < words.length && words[low].lastIndexOf(prefix, 0) === 0;
  }
})();
