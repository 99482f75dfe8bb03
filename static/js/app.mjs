import { initAll } from "../govuk/govuk-frontend.min.js";
import { initTableRegions } from "./table-regions.mjs";

initAll();
initTableRegions();
