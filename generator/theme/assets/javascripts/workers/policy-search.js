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
 * for donnees). A hyphenated word is indexed joined as well as in parts, each part at its own
 * place (e-mail: e and mail, and email), and a query's hyphenated word is searched joined and in
 * its parts (third-party finds third party). A result's link gives its page the words to highlight
 * (?h=): the theme gives the query's folded words, and the words the result marks, the page's own,
 * are added (ownWords()).
 */
(function () {
  "use strict";

  var QUERY = 2; // the theme's SearchMessageType.QUERY
  var RESULT = 3; // the theme's SearchMessageType.RESULT
  var ENTITIES = {amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0"};
  var CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/; // kana, ー, Han
  var HAN = /\p{sc=Han}/gu; // what the theme cuts (its own pattern)
  // A query word as lunr reads it: + (required) or - (prohibited), a field, the word, a closing *
  // (a beginning), then ~N (edit distance) and ^N (boost), in either order.
  var WORD = /^([+-]?)(?:(\w+):)?(.+?)(\*?)((?:[~^]\d*)*)$/;
  var index = null;
  var words = null; // the index's words, sorted, once it is built
  var current = null; // the reference of the document being indexed
  var inside = {}; // "reference\nfield": {a hyphenated word's part's place: the word's}
  var longParts = {}; // "reference\nfield": {a hyphenated word's place: its long parts' places}
  var added = {}; // the joined words the last query added, which the reader did not type
  // Latin letters with no decomposition to a base letter, as a reader types them without a mark.
  var LETTERS = {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o",
    "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d"};
  // Arabic: alef with hamza or madda, and alef wasla, as bare alef; alef maksura as ya; ta
  // marbuta as ha. Arabic-Indic and Persian digits as ASCII digits.
  var ARABIC = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"};
  // The article ال, after و, ب, ف or ك too, and لل (ل before ال): longest first.
  var ARTICLE = /^(?:وال|بال|فال|كال|ال|لل)(?=..)/;
  var ASCII = /^[\x00-\x7f]*$/; // nothing to fold
  var MARKED = /[\u00c0-\u04ff\u1e00-\u1fff]/; // letters with marks, and marks
  var LATIN = /[ßẞæÆœŒøØłŁđĐ]/;
  var ARABIC_SCRIPT = /[\u0600-\u06ff]/;

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
  // The theme's reply to a query: each result's terms, which its link's ?h= gives the page to
  // highlight (search.highlight), are the query's words that matched, folded (donnees), which the
  // page's text does not have. Each word the result marks, the page's own (données), is added.
  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && message.data.items) {
      message.data.items.forEach(function (items) {
        items.forEach(function (item) {
          // A joined word the worker added (thirdparty for third-party) that a result lacks is
          // not shown as missing (Material strikes it through under the result).
          for (var term in item.terms || {}) {
            if (item.terms[term] === false && added[term]) delete item.terms[term];
          }
          ownWords(item);
        });
      });
    }
    return post.apply(self, arguments);
  };
  var theirs = self.location.hash.slice(1);
  if (!/^search\.[\w.]+\.js$/.test(theirs)) throw new Error("Not the theme's worker: " + theirs);
  importScripts(theirs);

  function fold(word) {
    // Most words need nothing: one of ASCII characters alone is as a reader types it.
    if (ASCII.test(word)) return word;
    // Latin, Greek and Cyrillic marks (U+0300-U+036F, after NFD) only: NFC puts kana's voicing
    // marks and Hangul back. A word with no letter that has such a mark is not normalised.
    if (MARKED.test(word)) {
      word = word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
    }
    if (LATIN.test(word)) word = word.replace(/[ßẞæÆœŒøØłŁđĐ]/g, function (c) { return LETTERS[c]; });
    if (!ARABIC_SCRIPT.test(word)) return word;
    // Arabic short vowels, tanwin, shadda, sukun (U+064B-U+0652), dagger alef, tatweel.
    return word.replace(/[\u064b-\u0652\u0670\u0640]/g, "")
      .replace(/[أإآٱىة]/g, function (c) { return ARABIC[c]; })
      .replace(/[\u0660-\u0669]/g, function (c) { return String(c.charCodeAt(0) - 0x660); })
      .replace(/[\u06f0-\u06f9]/g, function (c) { return String(c.charCodeAt(0) - 0x6f0); });
  }

  // A hyphenated word's parts, each with its offset in the word: e-mail's e at 0, mail at 2.
  function hyphenParts(text) {
    var parts = [];
    var part = /[^-]+/g;
    for (var m = part.exec(text); m; m = part.exec(text)) parts.push({text: m[0], at: m.index});
    return parts;
  }

  // After the theme's tokenizer: a hyphenated word becomes its parts, each of which the stop word
  // filter sees, then the word joined (email for e-mail). The theme gives a word its place as
  // block << 20 | index, the index of its entry (start << 12 | length << 2 | type) in the block's
  // entries of the field's table, which its highlight() reads in order (the first and last are
  // where the block begins and ends, and marks are put in from the last entry to the first): each
  // part gets an entry of its own after the word's, so a result marks the part alone (Adresse in
  // E-Mail-Adresse), and the block's later words are renumbered. The joined word keeps the whole
  // word's place. Which part is inside which word is kept (inside), so that a result that has
  // both marks the word once (query()).
  function tokenizeParts(tokenize) {
    return function (input, options) {
      var tokens = tokenize.apply(this, arguments);
      var table = lunr.tokenizer.table;
      var split = [];
      var blocks = {}; // block: {index of a hyphenated word's entry: its parts' entries}
      var i, token, parts, position, block, at, entry;
      for (i = 0; i < tokens.length; i++) {
        token = tokens[i];
        if (token.str.indexOf("-") < 0) continue;
        parts = split[i] = hyphenParts(token.str);
        position = token.metadata.position;
        if (parts.length < 2 || typeof position !== "number" || !table) continue;
        block = position >>> 20;
        at = position & 0xfffff;
        entry = table[block] && table[block][at];
        // The word as the table has it (a lower-cased word may be longer: İ), else the whole.
        if (entry === undefined || (entry >>> 2 & 0x3ff) !== token.str.length) continue;
        (blocks[block] = blocks[block] || {})[at] = parts.map(function (part) {
          return ((entry >>> 12) + part.at) << 12 | part.text.length << 2 | entry & 3;
        });
      }
      if (!split.length) return tokens;
      var moved = {};
      for (block in blocks) {
        var entries = table[block];
        var now = [];
        var index = [];
        var first = {};
        for (var k = 0; k < entries.length; k++) {
          index[k] = now.length;
          now.push(entries[k]);
          if (blocks[block][k]) {
            first[k] = now.length;
            now.push.apply(now, blocks[block][k]);
          }
        }
        table[block] = now;
        moved[block] = {index: index, first: first};
      }
      var field = options && options.fields && options.fields[0];
      var key = current + "\n" + field;
      var out = [];
      for (i = 0; i < tokens.length; i++) {
        token = tokens[i];
        parts = split[i];
        position = token.metadata.position;
        var move = typeof position === "number" && moved[position >>> 20];
        block = position >>> 20;
        at = position & 0xfffff;
        if (move) token.metadata.position = position = block << 20 | move.index[at];
        if (!parts) {
          out.push(token);
          continue;
        }
        if (parts.length < 2) {
          if (parts.length) out.push(token.update(function () { return parts[0].text; }));
          continue;
        }
        var own = move && at in move.first;
        for (var j = 0; j < parts.length; j++) {
          var metadata = {};
          for (var name in token.metadata) metadata[name] = token.metadata[name];
          if (own) {
            metadata.position = block << 20 | move.first[at] + j;
            (inside[key] = inside[key] || {})[metadata.position] = position;
            var long = longParts[key] = longParts[key] || {};
            long[position] = long[position] || [];
            if (parts[j].text.length > 2) long[position].push(metadata.position);
          }
          out.push(new lunr.Token(parts[j].text, metadata));
        }
        out.push(token.update(function () {
          return parts.map(function (p) { return p.text; }).join("");
        }));
      }
      return out;
    };
  }

  // Last in the index's pipeline, after the stop word filter, which knows words with their marks:
  // the word folded, and an Arabic word without its article too (خصوصيه for الخصوصية). A word
  // folding leaves as it is is passed on as it is.
  function folded(token) {
    var text = token.str;
    if (ASCII.test(text)) return token;
    var word = fold(text);
    var bare = ARABIC_SCRIPT.test(word) ? word.replace(ARTICLE, "") : word;
    var first = word === text ? token : token.update(function () { return word; });
    return bare === word ? first : [first, token.clone(function () { return bare; })];
  }
  lunr.Pipeline.registerFunction(folded, "policyFold");

  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function (doc) {
    current = doc[this._ref];
    // The theme's builder has its language's pipeline by its first document.
    var stack = this.pipeline._stack;
    if (stack.indexOf(folded) < 0) stack.push(folded);
    // The theme sets its tokenizer on the builder before the first document too.
    if (!this.tokenizer.policyParts) {
      this.tokenizer = tokenizeParts(this.tokenizer);
      this.tokenizer.policyParts = true;
    }
    return add.apply(this, arguments);
  };

  // A result's places of the words it matched, of each field, once each: the theme marks each
  // place it is given, and a place given twice, or a part's inside its word's, would be marked
  // inside a mark (e-mail for a query e-mail, which searches email and mail). Where a hyphenated
  // word's place and a part's both matched, the word is marked whole only when its joined word
  // was typed (email, or e-mail, which searches email) or each of its parts of three letters or
  // more matched (cookie einstellungen); else the parts that matched are marked alone: newsletter*
  // matches newsletteranmeldung too, and marked Newsletter-Anmeldung whole.
  var query = lunr.Index.prototype.query;
  lunr.Index.prototype.query = function (fn) {
    var typed = {};
    var results = query.call(this, function (q) {
      var out = fn.apply(this, arguments);
      q.clauses.forEach(function (clause) {
        typed[String(clause.term).replace(/\*/g, "").toLowerCase()] = true;
      });
      return out;
    });
    results.forEach(function (result) {
      var metadata = result.matchData.metadata;
      var terms = Object.keys(metadata);
      var places = {}; // field: {place: [terms matched there]}
      var seen = {};
      terms.forEach(function (term) {
        for (var field in metadata[term]) {
          var list = metadata[term][field].position;
          if (!list) continue;
          var all = places[field] = places[field] || {};
          for (var i = 0; i < list.length; i++) (all[list[i]] = all[list[i]] || []).push(term);
        }
      });
      var drop = {}; // field: {place: true}
      Object.keys(places).forEach(function (field) {
        var all = places[field];
        var key = result.ref + "\n" + field;
        var parts = inside[key] || {};
        var long = longParts[key] || {};
        var gone = drop[field] = {};
        var whole = {};
        for (var place in all) {
          if (parts[place] !== undefined && all[parts[place]]) whole[parts[place]] = true;
        }
        for (var w in whole) {
          var keep = all[w].some(function (term) { return typed[term]; }) ||
            (long[w] || []).length > 0 && long[w].every(function (p) { return all[p]; });
          if (!keep) {
            gone[w] = true;
            continue;
          }
          for (place in all) if (String(parts[place]) === w) gone[place] = true;
        }
      });
      terms.forEach(function (term) {
        for (var field in metadata[term]) {
          var list = metadata[term][field].position;
          if (!list) continue;
          var gone = drop[field] || {};
          var once = seen[field] = seen[field] || {};
          var kept = list.filter(function (place) {
            if (once[place] || gone[place]) return false;
            once[place] = true;
            return true;
          });
          if (kept.length === list.length) continue;
          var copy = {};
          for (var name in metadata[term][field]) copy[name] = metadata[term][field][name];
          copy.position = kept;
          metadata[term][field] = copy;
        }
      });
    });
    return results;
  };

  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {
    index = build.apply(this, arguments);
    words = null;
    return index;
  };

  function ownWords(item) {
    var terms = item.terms;
    if (!terms) return;
    var found = Object.keys(terms).filter(function (t) { return terms[t]; }).map(function (t) {
      return t.toLowerCase();
    });
    if (!found.length) return;
    var marks = /<mark>([\s\S]*?)<\/mark>/g;
    var text = [item.title, item.text].filter(function (t) { return typeof t === "string"; });
    text.join("\n").replace(marks, function (_, html) {
      var word = html.replace(/<[^>]*>/g, "").replace(/&(#x?[0-9a-f]+|\w+);/gi, entity)
        .toLowerCase();
      // The page's highlighter reads a hyphen as a space, and marks every word that has one of
      // ?h='s words: e-mail would mark each e. Of its parts of three letters or more, those a
      // word that matched begins (adressez for adresse), or covers as the word joined (mail of
      // E-Mail-Adresse for email), are added: not nous of adressez-nous.
      var words = word.indexOf("-") < 0 ? [word] : ownParts(hyphenParts(word), found);
      words.forEach(function (w) {
        var marked = found.some(function (t) { return w.indexOf(t) >= 0; });
        if (w && !marked) {
          terms[w] = true;
          found.push(w);
        }
      });
      return "";
    });
  }

  // The parts of a marked hyphenated word to highlight: of three letters or more, those a
  // matched word (`found`) begins, or covers as the start of the word joined.
  function ownParts(parts, found) {
    var folded = parts.map(function (part) { return fold(part.text); });
    var joined = folded.join("");
    var start = 0;
    return parts.filter(function (part, i) {
      var begins = start;
      start += folded[i].length;
      return part.text.length > 2 && found.some(function (t) {
        return folded[i].lastIndexOf(t, 0) === 0 || begins < t.length && joined.lastIndexOf(t, 0) === 0;
      });
    }).map(function (part) { return part.text; });
  }

  function entity(all, name) {
    if (name.charAt(0) !== "#") return ENTITIES[name.toLowerCase()] || all;
    var code = /^#x/i.test(name) ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
  }

  function cutQuery(query) {
    if (!index) return query;
    added = {};
    return query.split(/(\s+)/).map(function (part) {
      return foldWord(part).map(cutWord).join(" ");
    }).join("");
  }

  function foldWord(part) {
    // The word folded as the index's words are, its operators and field kept. A hyphenated word
    // is searched joined, as the index has it joined (email finds e-mail and email), and in its
    // parts, which a page may write apart (third-party finds third party): its parts of one or
    // two letters are passed over (e* would find every word beginning with e). Required (+), its
    // parts are required and the joined word is not: lunr cannot require one word or another,
    // and a section with the hyphenated word has its parts too. Excluded (-), the joined word
    // alone is: -third-party does not exclude every party. An elided word before an apostrophe
    // (l'adresse, qu’il), a stop word or a word of one or two letters, is passed over: made a
    // beginning (l*), it would find every word it begins.
    var m = WORD.exec(part);
    if (!m || m[3].indexOf("\\") >= 0) return [part];
    var parts = fold(m[3]).split(/['’]+/).filter(Boolean);
    var long = parts.filter(function (p) {
      return p.replace(/["«„“-]/g, "").length > 2;
    });
    if (parts.length > 1 && long.length) parts = long;
    if (!parts.length) return [part];
    var words = [];
    parts.forEach(function (p) {
      // A quoted word, which the theme makes a phrase, is searched joined only.
      if (/"/.test(p)) p = p.replace(/([^\s-])-+(?=[^\s-])/g, "$1");
      var pieces = /[^\s-]-+[^\s-]/.test(p) ? p.split(/-+/).filter(Boolean) : [];
      if (pieces.length < 2) {
        words.push({op: m[1], text: p});
        return;
      }
      var joined = pieces.join("");
      var longPieces = pieces.filter(function (q) { return q.replace(/["«„“]/g, "").length > 2; });
      if (m[1] === "-") {
        words.push({op: "-", text: joined});
        return;
      }
      // The joined word only where the index has a word it begins (third-party finds thirdparty
      // nowhere in a page that writes third party, and was shown as missing from each result).
      var bare = joined.replace(/["«„“»”]/g, "").toLowerCase();
      if (!longPieces.length || begins(bare)) {
        words.push({op: m[1] === "+" ? "" : m[1], text: joined});
        added[bare] = true;
      }
      // Its parts but the last are searched whole (opt of opt-in, not option): the theme makes
      // a plain word a beginning, unless it has ^N; the last may be unfinished.
      longPieces.forEach(function (q) {
        var whole = !m[1] && !m[4] && !m[5] && q !== pieces[pieces.length - 1];
        words.push({op: m[1], text: q, end: whole ? "^1" : null});
      });
    });
    return words.map(function (w) {
      return w.op + (m[2] ? m[2] + ":" : "") + w.text + (w.end || m[4] + m[5]);
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
