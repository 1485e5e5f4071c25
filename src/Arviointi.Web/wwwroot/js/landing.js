// Links and QR codes carry the access code in the URL fragment (/vastaa#ABCDE-FGHJK): a fragment never reaches
// the server or any proxy, so the code cannot end up in a log. Fill it in, then drop it from the address bar.
(function () {
  const input = document.getElementById("code");
  if (!input) return;
  function fill() {
    let code;
    try {
      code = decodeURIComponent(window.location.hash.replace(/^#/, "")).trim();
    } catch (e) {
      return;
    }
    if (!/^[A-Za-z0-9 -]{10,14}$/.test(code)) return;
    input.value = code.toUpperCase();
    history.replaceState(null, "", window.location.pathname + window.location.search);
    const button = input.form.querySelector("button[type=submit]");
    if (button) button.focus();
  }
  fill();
  // A second link opened in the same tab differs only in its fragment, so the page is not loaded again: fill in its code too.
  window.addEventListener("hashchange", fill);
})();
