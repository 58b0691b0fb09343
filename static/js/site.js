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

// The review queue is pushed whole when it changes; keep what the moderator has ticked, typed
// in an item's explanation and opened, and where the focus was.
document.addEventListener("htmx:wsBeforeMessage", () => {
  const queue = document.getElementById("moderation-queue");
  if (queue) {
    // Kept on the body: the queue element itself is replaced by the message.
    document.body.dataset.queueTicked = JSON.stringify(
      [...queue.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.id),
    );
    document.body.dataset.queueTyped = JSON.stringify(
      [...queue.querySelectorAll("textarea")].filter((field) => field.value).map(
        (field) => [field.id, field.value],
      ),
    );
    document.body.dataset.queueOpened = JSON.stringify(
      [...queue.querySelectorAll("details[open]")].map((details) => details.id),
    );
    const focused = queue.contains(document.activeElement) ? document.activeElement.id : "";
    document.body.dataset.queueFocused = focused;
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
    JSON.parse(document.body.dataset.queueTyped || "[]").forEach(([id, value]) => {
      const field = document.getElementById(id);
      if (field) {
        field.value = value;
      }
    });
    JSON.parse(document.body.dataset.queueOpened || "[]").forEach((id) => {
      const details = document.getElementById(id);
      if (details) {
        details.open = true;
      }
    });
    const focused = document.getElementById(document.body.dataset.queueFocused || "");
    if (focused) {
      focused.focus();
    }
  }
});

// A message on the person's own socket (a decision, an answer, a partner's message) tells the
// parts of the page that list the person's things to fetch themselves again (Mina sidor).
document.addEventListener("htmx:wsAfterMessage", (event) => {
  if (event.target.closest("[data-personal-socket]")) {
    document.body.dispatchEvent(new CustomEvent("personal:changed"));
  }
});

// A copy button beside a read-only field (the author's share link). Without JavaScript the
// button stays hidden and the field is there to select and copy from.
const revealCopyButtons = (root) => {
  root.querySelectorAll("button[data-copy]").forEach((button) => { button.hidden = false; });
};
document.addEventListener("DOMContentLoaded", () => revealCopyButtons(document));
document.addEventListener("htmx:load", (event) => revealCopyButtons(event.target));
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.copyStatus);
  if (!field) {
    return;
  }
  field.select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(field.value);
    copied = true;
  } catch {
    // No clipboard API (an insecure address) or no permission: the older command may still do.
    copied = document.execCommand("copy");
  }
  if (status) {
    status.textContent = copied ? button.dataset.copied : button.dataset.copyFailed;
  }
});

// Forms sent back with errors start with a summary of them (templates/includes/error_summary.html).
// Focus moves to it, on a reloaded page and after an htmx swap, so a keyboard or screen reader
// user starts from what to correct; its links lead to each field.
const focusErrorSummary = (root) => {
  const summary = root.matches?.(".error-summary") ? root : root.querySelector?.(".error-summary");
  if (summary) {
    summary.focus();
  }
};
document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSettle", (event) => focusErrorSummary(event.detail.elt));

// After posting a comment, focus moves to the new comment; the answer names it in the
// "comment-posted" event (HX-Trigger-After-Settle).
document.addEventListener("comment-posted", (event) => {
  const comment = document.getElementById(event.detail.id);
  if (comment) {
    comment.focus();
  }
});

// A new comment reaches its author's page twice: in the answer to the post and over the live
// socket. Whichever comes second must not add it again. The answer's copy wins (it carries the
// author's own links to edit and remove), so a copy from the socket is dropped and a copy in the
// answer replaces the one the socket brought.
let receivingLive = false;
document.addEventListener("htmx:wsBeforeMessage", () => { receivingLive = true; });
document.addEventListener("htmx:wsAfterMessage", () => { receivingLive = false; });
document.addEventListener("htmx:oobBeforeSwap", (event) => {
  const fragment = event.detail.fragment;
  if (!fragment || fragment.id || !fragment.querySelectorAll) {
    return; // a swap by id replaces an element; only insertions can duplicate one
  }
  fragment.querySelectorAll(":scope > li.comment[id]").forEach((incoming) => {
    const present = document.getElementById(incoming.id);
    if (!present) {
      return;
    }
    if (receivingLive) {
      incoming.remove();
    } else {
      present.remove();
    }
  });
});

// On a phone the site menu folds behind its button. Without JavaScript the button stays hidden
// and the menu open; on a wide screen CSS hides the button and the menu always shows.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu-button");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  const setOpen = (open) => button.setAttribute("aria-expanded", String(open));
  setOpen(false);
  button.hidden = false;
  button.addEventListener("click", () => {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes the open menu and takes focus back to its button.
  menu.addEventListener("keydown", (event) => {
    const folds = window.getComputedStyle(button).display !== "none";
    if (event.key === "Escape" && folds && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
});
