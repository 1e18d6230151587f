// Counts the characters left in the summary (the server checks the limit too).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("textarea[name=summary]");
  if (!summary) return;
  const counter = document.createElement("p");
  counter.className = "help";
  counter.setAttribute("aria-live", "polite");
  summary.after(counter);
  const update = () => {
    const max = Number(summary.getAttribute("maxlength")) || 300;
    counter.textContent = `${summary.value.length} / ${max}`;
  };
  summary.addEventListener("input", update);
  update();
});
