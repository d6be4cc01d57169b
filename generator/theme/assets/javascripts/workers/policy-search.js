/* The theme's search worker, with each Japanese word of a query cut into the words of the index.
 *
 * The theme cuts a Japanese page's text into words with TinySegmenter (lunr.ja), which cuts a word
 * by its context: お問い合わせ is one word before は, お|問い合わせ after に関する; 個人データ is
 * 個人|データ. It does not cut the query so (it cuts only runs of Han characters, by the words
 * of the index, and leaves out a run's last word), and each word of a query must begin a word of
 * the index: お問い合わせ and 個人データ found nothing. Here a query's Japanese word is cut into the fewest words of the index, and kept
 * as it is too where it begins one. The page's script (theme/main.html) starts this worker with
 * the name of the theme's after the "#"; it is in the theme's folder, from whose ../lunr the
 * theme's worker loads the languages.
 */
(function () {
  "use strict";

  var QUERY = 2; // the theme's SearchMessageType.QUERY
  var JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/; // kana, ー, Han
  var index = null;
  var words = null; // the index's words, sorted, once it is built

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

  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {
    index = build.apply(this, arguments);
    words = null;
    return index;
  };

  function cutQuery(query) {
    // Only where the theme cut the text with TinySegmenter: it loads it for Japanese only.
    if (!index || !("TinySegmenter" in lunr)) return query;
    return query.split(/(\s+)/).map(function (part) {
      // Quotes and a closing * say nothing to lunr here (it has no phrases, and the last word
      // is a beginning anyway); a part with any other of its operators is left as written.
      var bare = part.replace(/^"(.*)"$/, "$1").replace(/\*$/, "");
      if (!JAPANESE.test(bare) || /["+\-~^:*]/.test(bare)) return part;
      var cut = fewestWords(bare.toLowerCase());
      if (!cut) return part;
      // A word but the last is whole: exact (^1 keeps the theme from making it a prefix, with
      // which お would find every お名前 and お届け); the last may be unfinished.
      var terms = cut.slice(0, -1).map(function (word) { return word + "^1"; });
      return (begins(bare.toLowerCase()) ? [bare] : []).concat(terms, cut.slice(-1)).join(" ");
    }).join("");
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
