// The board's drag and drop: a card dropped on a column submits the card's own form with the
// button for that column, exactly as a click would; without this file the buttons still work.
(function () {
  "use strict";
  var dragged = null;

  function stageOf(el) {
    var column = el.closest("section.stage");
    return column ? column.getAttribute("data-stage") : null;
  }

  function allowed(card, stage) {
    var moves = (card.getAttribute("data-moves") || "").split(" ");
    return stage !== null && moves.indexOf(stage) >= 0;
  }

  function mark(on) {
    document.querySelectorAll("section.stage").forEach(function (column) {
      var ok = on && dragged !== null && allowed(dragged, column.getAttribute("data-stage"));
      column.classList.toggle("drop-ok", ok);
    });
  }

  function setUp() {
    document.querySelectorAll("article.card[data-moves]").forEach(function (card) {
      if (!card.getAttribute("data-moves")) {
        return; // a closed card stays where it is
      }
      card.setAttribute("draggable", "true");
      card.addEventListener("dragstart", function (event) {
        dragged = card;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
        mark(true);
      });
      card.addEventListener("dragend", function () {
        dragged = null;
        mark(false);
      });
    });
    document.querySelectorAll("section.stage").forEach(function (column) {
      column.addEventListener("dragover", function (event) {
        if (dragged !== null && allowed(dragged, column.getAttribute("data-stage"))) {
          event.preventDefault(); // this column accepts the card
          event.dataTransfer.dropEffect = "move";
        }
      });
      column.addEventListener("drop", function (event) {
        var stage = column.getAttribute("data-stage");
        if (dragged === null || !allowed(dragged, stage) || stageOf(dragged) === stage) {
          return;
        }
        event.preventDefault();
        var form = dragged.querySelector("form.move-form");
        var button = form && form.querySelector('button[name="stage"][value="' + stage + '"]');
        if (button) {
          form.requestSubmit(button);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
