/* The "Drucken" button of the article page (templates/press/article_detail.html): shown only
   where this script runs, and opens the browser's print dialogue, which uses static/css/print.css.
   An own file, not an inline handler: the Content-Security-Policy allows scripts from 'self' only. */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
