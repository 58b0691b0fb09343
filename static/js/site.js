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
