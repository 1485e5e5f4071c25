// Links and QR codes carry the access code in the URL fragment (/vastaa#ABCDE-FGHJK): a fragment never reaches
// the server or any proxy, so the code cannot end up in a log. Fill it in, then drop it from the address bar.
(function () {
  const code = decodeURIComponent(window.location.hash.replace(/^#/, "")).trim();
  const input = document.getElementById("code");
  if (!input || !/^[A-Za-z0-9 -]{10,14}$/.test(code)) return;
  input.value = code.toUpperCase();
  history.replaceState(null, "", window.location.pathname + window.location.search);
  const button = input.form.querySelector("button[type=submit]");
  if (button) button.focus();
})();
