// Progressive enhancement: hide items whose show_if condition is not met. Without JavaScript every
// item stays visible with its "answer if" hint, and the server drops answers whose condition fails.
(function () {
  const dependants = document.querySelectorAll("[data-show-if]");
  if (dependants.length === 0) return;
  const form = dependants[0].closest("form");

  function chosen(name) {
    return Array.from(form.querySelectorAll(`input[name="${name}"]:checked`)).map((i) => i.value);
  }

  function update() {
    dependants.forEach((el) => {
      const values = (el.dataset.showValues || "").split(" ");
      const shown = chosen(el.dataset.showIf).some((v) => values.includes(v));
      el.hidden = !shown;
      el.querySelectorAll("input, textarea").forEach((input) => { input.disabled = !shown; });
      const hint = el.querySelector(".condition");
      if (hint) hint.hidden = true;
    });
  }

  form.addEventListener("change", update);
  update();
})();
