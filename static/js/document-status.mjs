// Progressive enhancement for "Preparing the PDF": without JavaScript the reader uses the
// "Check now" link; with it, the page asks for the status every few seconds and starts the
// download when the document is ready (no meta refresh, which WCAG 2.2.1 rules out).
const panel = document.querySelector("[data-document-status-url]");
if (panel) {
  const statusUrl = panel.dataset.documentStatusUrl;
  const downloadUrl = panel.dataset.documentDownloadUrl;
  const live = panel.querySelector("[aria-live]");
  const check = async () => {
    try {
      const response = await fetch(statusUrl, { headers: { Accept: "application/json" } });
      const { status } = await response.json();
      if (status === "ready") {
        live.textContent = "The PDF is ready. The download starts now.";
        window.location.assign(downloadUrl);
        return;
      }
      if (status === "failed") {
        live.textContent = "The PDF could not be made. Please try again later.";
        return;
      }
    } catch (error) {
      // A network hiccup: try again at the next tick.
    }
    window.setTimeout(check, 3000);
  };
  window.setTimeout(check, 2000);
}
