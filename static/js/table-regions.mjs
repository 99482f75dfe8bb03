// Tables that scroll sideways in their wrapper (.app-table-wrapper), as at 400% zoom, become a named
// region that takes the keyboard focus, so that keyboard users can scroll them with the arrow keys
// (WCAG 2.1.1, 1.4.10). A wrapper whose table fits stays out of the tab order.
function update(wrapper) {
  if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
    const caption = wrapper.querySelector("caption");
    const name = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "Table";
    wrapper.setAttribute("tabindex", "0");
    wrapper.setAttribute("role", "region");
    wrapper.setAttribute("aria-label", `${name} (scrolls sideways)`);
  } else {
    wrapper.removeAttribute("tabindex");
    wrapper.removeAttribute("role");
    wrapper.removeAttribute("aria-label");
  }
}

export function initTableRegions(root = document) {
  const wrappers = Array.from(root.querySelectorAll(".app-table-wrapper"));
  const updateAll = () => wrappers.forEach(update);
  updateAll();
  window.addEventListener("resize", updateAll);
}
