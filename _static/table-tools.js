// Sort and filter for tables marked "sortable" (e.g. the revised cells): a search box above the
// table hides rows that do not contain its text; clicking a column header sorts by that column
// (numbers numerically, text alphabetically; click again to reverse). On the claims register, the
// box "claim-filter" hides the cards that do not contain its words or do not have its verdict, and
// each card's address is given in full (the page's own address and the card's anchor) with a copy
// button. Any table wider than its column (on a phone) gets a line above it saying that it scrolls
// sideways. Plain JavaScript, no library.
(function () {
  "use strict";

  function cellValue(row, index) {
    return row.cells[index] ? row.cells[index].textContent.trim() : "";
  }

  function compare(a, b) {
    var x = parseFloat(a.replace(/[,%+\s]/g, "")), y = parseFloat(b.replace(/[,%+\s]/g, ""));
    if (!isNaN(x) && !isNaN(y) && /^[-+\d.,%\s]+$/.test(a) && /^[-+\d.,%\s]+$/.test(b)) {
      return x - y;
    }
    return a.localeCompare(b);
  }

  function addFilter(table, body) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "table-filter";
    input.placeholder = "Filter rows: type a document number, a word or a verdict";
    input.setAttribute("aria-label", "Filter the rows of the table below");
    table.parentNode.insertBefore(input, table);
    input.addEventListener("input", function () {
      var needle = input.value.toLowerCase();
      Array.prototype.forEach.call(body.rows, function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
  }

  function addSorting(table, body) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (header, index) {
      header.setAttribute("aria-sort", "none");
      header.setAttribute("tabindex", "0");
      header.title = "Sort by this column";
      header.classList.add("sortable-header");
      function sort() {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var order = compare(cellValue(a, index), cellValue(b, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      header.addEventListener("click", sort);
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }

  function filterCards(box) {
    var text = box.querySelector(".claim-filter-text");
    var verdict = box.querySelector(".claim-filter-verdict");
    var count = box.querySelector(".claim-filter-count");
    var cards = Array.prototype.slice.call(document.querySelectorAll(".admonition.claim-card"));
    function apply() {
      var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var wanted = verdict.value;
      var shown = 0;
      cards.forEach(function (card) {
        var title = card.querySelector(".admonition-title");
        var content = card.textContent.toLowerCase();
        var keep = words.every(function (word) { return content.indexOf(word) >= 0; }) &&
          (!wanted || (title && title.textContent.indexOf(wanted + ":") === 0));
        card.hidden = !keep;
        if (keep) { shown += 1; }
      });
      document.querySelectorAll("section").forEach(function (section) {
        var inside = section.querySelectorAll(".admonition.claim-card");
        if (inside.length && section.querySelectorAll("section").length === 0) {
          section.hidden = Array.prototype.every.call(inside, function (card) { return card.hidden; });
        }
      });
      count.textContent = shown === cards.length ? cards.length + " cards" : shown + " of " + cards.length + " cards";
    }
    text.addEventListener("input", apply);
    verdict.addEventListener("change", apply);
  }

  function completeAddresses() {
    document.querySelectorAll("a.card-address").forEach(function (link) {
      if (link.dataset.full !== "yes") {
        link.textContent = new URL(link.getAttribute("href"), window.location.href).href;
      }
      if (!navigator.clipboard) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "card-address-copy";
      button.textContent = "Copy";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(link.textContent).then(function () { button.textContent = "Copied"; });
      });
      link.parentNode.insertBefore(button, link.nextSibling);
    });
  }

  function hintScrolling() {
    document.querySelectorAll(".pst-scrollable-table-container").forEach(function (box) {
      var hint = box.previousElementSibling;
      var has = hint && hint.classList.contains("table-scroll-hint");
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !has) {
        hint = document.createElement("p");
        hint.className = "table-scroll-hint";
        hint.textContent = "The table is wider than the screen: scroll it sideways for the other columns \u2192";
        box.parentNode.insertBefore(hint, box);
      } else if (!scrolls && has) {
        hint.remove();
      }
    });
  }

  function enhance() {
    hintScrolling();
    window.addEventListener("resize", hintScrolling);
    document.querySelectorAll(".claim-filter").forEach(filterCards);
    completeAddresses();
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var body = table.tBodies[0];
      if (!body || !table.tHead || table.dataset.enhanced) { return; }
      table.dataset.enhanced = "yes";
      addFilter(table, body);
      addSorting(table, body);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
