/**
 * Runs first, in <head>: applies the reader's remembered light/dark choice before the page is
 * drawn, so a dark-mode reader never sees a white flash. Without a choice (or without
 * JavaScript) the stylesheet follows the system setting (prefers-color-scheme).
 */
{
  try {
    const theme = localStorage.getItem("micrograd-theme");
    if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  } catch {
    // storage blocked (private mode, file:// in some browsers): follow the system setting
  }
}
