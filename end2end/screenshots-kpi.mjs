// Screenshots of the goals and KPI pages for design review: node screenshots-kpi.mjs <base-url> <out-dir>
import { browser, session, shot } from "./shots.mjs";

const lead = await session("lead1@example.com");
await shot(lead.page, "/kpis", "kpi-dashboard-zh");
await shot(lead.page, "/kpis/goals", "kpi-goals-zh");
const en = await session("pm5@example.com");
await shot(en.page, "/kpis", "kpi-dashboard-en");
await shot(en.page, "/kpis/7b1d0000-0000-4000-8000-000000000000", "kpi-page-en");
await shot(en.page, "/kpis/new", "kpi-new-en");
await shot(en.page, "/", "home-en");
const dark = await session("lead2@example.com", { scheme: "dark" });
await shot(dark.page, "/kpis/7b1d0000-0000-4000-8000-000000000006", "kpi-page-dark");
await shot(dark.page, "/kpis/goals", "kpi-goals-dark");
const phone = await session("pm1@example.com", { width: 360, height: 740 });
await shot(phone.page, "/kpis", "kpi-dashboard-360");
await shot(phone.page, "/kpis/7b1d0000-0000-4000-8000-000000000002", "kpi-page-360");
await browser.close();
