// Progressive enhancement of the answering pages. Everything works without this script: items are plain
// form fields, conditions are applied by the server, and every page posts its answers before moving on.
(function () {
  const form = document.querySelector("form.survey");
  if (!form) return;

  // Within one page, hide items whose show_if condition is not met (the preview shows the whole survey).
  // Razor writes data-* attributes even when empty, so only a named condition counts: an empty one would hide every item.
  const dependants = Array.from(form.querySelectorAll("[data-show-if]")).filter((el) => el.dataset.showIf);
  function chosen(name) {
    return Array.from(form.querySelectorAll(`input[name="${name}"]:checked`)).map((i) => i.value);
  }
  function applyConditions() {
    dependants.forEach((el) => {
      const values = (el.dataset.showValues || "").split(" ");
      const shown = chosen(el.dataset.showIf).some((v) => values.includes(v));
      el.hidden = !shown;
      el.querySelectorAll("input, textarea").forEach((input) => { input.disabled = !shown; });
      const hint = el.querySelector(".condition");
      if (hint) hint.hidden = true;
    });
  }
  if (dependants.length > 0) {
    form.addEventListener("change", applyConditions);
    applyConditions();
  }

  // Save as the respondent goes, so closing the tab loses nothing.
  const status = form.querySelector(".autosave-status");
  if (form.dataset.autosave === "true" && window.fetch) {
    let timer = null;
    const save = () => {
      const data = new FormData(form);
      data.delete("suunta");
      const url = new URL(window.location.href);
      url.searchParams.set("handler", "Autosave");
      fetch(url, { method: "POST", body: data, credentials: "same-origin" })
        .then((r) => { if (status && r.ok) status.textContent = status.dataset.saved || ""; })
        .catch(() => {});
    };
    form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(save, 300); });
    form.addEventListener("input", (e) => {
      if (e.target.tagName === "TEXTAREA") { clearTimeout(timer); timer = setTimeout(save, 1500); }
    });
  }

  // Child mode: read the question aloud with the browser's speech synthesis, in the survey's language. A browser
  // without a voice for it (no speech synthesis, or no voices at all, as headless Chromium and many computers without a
  // Finnish voice) says so beside the button, so the adult knows to read aloud instead of waiting for nothing.
  const readButtons = form.querySelectorAll("button.read-aloud");
  if (readButtons.length > 0) {
    const lang = (form.closest("[lang]") || document.documentElement).getAttribute("lang") || "fi";
    const synth = window.speechSynthesis;
    const voiceFor = () => (synth ? synth.getVoices().find((v) => v.lang.toLowerCase().startsWith(lang)) : undefined);
    // Chromium lists its voices only after a moment (voiceschanged), and only once asked: ask now, and let a press that
    // finds none wait up to half a second from that press for them, so neither an early nor a late press is misjudged.
    if (synth) synth.getVoices();
    const voiceSoon = () => new Promise((resolve) => {
      const ready = voiceFor();
      if (ready || !synth) { resolve(ready); return; }
      const done = () => {
        synth.removeEventListener("voiceschanged", arrived);
        clearTimeout(timer);
        resolve(voiceFor());
      };
      const arrived = () => { if (voiceFor()) done(); };
      const timer = setTimeout(done, 500);
      synth.addEventListener("voiceschanged", arrived);
    });
    readButtons.forEach((button) => {
      const status = document.getElementById(button.getAttribute("aria-describedby"));
      button.hidden = false;
      button.addEventListener("click", () => voiceSoon().then((voice) => {
        if (!voice) {
          if (status) status.textContent = status.dataset.noVoice || "";
          return;
        }
        if (status) status.textContent = "";
        const utterance = new SpeechSynthesisUtterance(document.getElementById(button.dataset.read).textContent.trim());
        utterance.lang = lang;
        utterance.voice = voice;
        synth.cancel();
        synth.speak(utterance);
      }));
    });
  }
})();
