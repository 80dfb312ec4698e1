// Sort and filter for tables marked "sortable" (e.g. the claims register): a search box above the
// table hides rows that do not contain its text; clicking a column header sorts by that column
// (numbers numerically, text alphabetically; click again to reverse). Plain JavaScript, no library.
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

  function enhance() {
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
