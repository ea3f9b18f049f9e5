// Bookmark buttons toggle in place; without JavaScript the same forms post and return to the page.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-bookmark-toggle")) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    var status = form.querySelector(".bookmark-status");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (result) {
        form.action = result.bookmarked ? "/bookmarks/remove" : "/bookmarks/add";
        button.textContent = result.bookmarked ? form.dataset.labelRemove : form.dataset.labelAdd;
        button.setAttribute("aria-pressed", result.bookmarked ? "true" : "false");
        if (status) { status.textContent = result.message; }
        button.disabled = false;
      })
      .catch(function () {
        // Fall back to the ordinary form post (it also takes the user to sign in if the session ended).
        button.disabled = false;
        form.submit();
      });
  });
})();
