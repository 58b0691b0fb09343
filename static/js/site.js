// Small behaviours on top of pages that work without JavaScript.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // A form whose submit button is pressed twice is sent once.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    window.setTimeout(() => { delete form.dataset.submitting; }, 5000);
  });
});

// Live updates arrive over a websocket (htmx's ws extension, which reconnects with backoff).
// After a reconnect, the live parts of the page fetch their current state again, so nothing
// sent while the connection was down stays missing.
document.addEventListener("htmx:wsOpen", (event) => {
  const socket = event.target;
  if (socket.dataset.liveOpenedBefore === "true") {
    document.body.dispatchEvent(new CustomEvent("live:resync"));
  }
  socket.dataset.liveOpenedBefore = "true";
});

// On the proposal form, show only the priorities of the chosen focus area.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("id_fokusomrade");
  const groups = document.querySelectorAll(".prioritering-group");
  if (!select || groups.length === 0) {
    return;
  }
  const update = () => {
    groups.forEach((group) => {
      const shown = group.dataset.fokusomrade === select.value;
      group.hidden = !shown;
      if (!shown) {
        group.querySelectorAll("input").forEach((input) => { input.checked = false; });
      }
    });
  };
  select.addEventListener("change", update);
  update();
});

// The review queue is pushed whole when it changes; keep what the moderator has ticked.
document.addEventListener("htmx:wsBeforeMessage", () => {
  const queue = document.getElementById("moderation-queue");
  if (queue) {
    // Kept on the body: the queue element itself is replaced by the message.
    document.body.dataset.queueTicked = JSON.stringify(
      [...queue.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.id),
    );
  }
});
document.addEventListener("htmx:wsAfterMessage", () => {
  const queue = document.getElementById("moderation-queue");
  const ticked = document.body.dataset.queueTicked;
  if (queue && ticked) {
    JSON.parse(ticked).forEach((id) => {
      const box = document.getElementById(id);
      if (box) {
        box.checked = true;
      }
    });
  }
});
