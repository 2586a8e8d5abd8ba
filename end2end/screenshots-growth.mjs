// Screenshots of the growth pages for design review: node screenshots-growth.mjs <base-url> <out-dir>
import { browser, session, shot } from "./shots.mjs";

const pm = await session("pm2@example.com");
await shot(pm.page, "/growth", "growth-mine-en");
await shot(pm.page, "/growth/catalog", "growth-catalog-en");
await shot(pm.page, "/growth/mentoring", "growth-mentoring-en");
const admin = await session("admin@example.com");
await shot(admin.page, "/growth/dashboard", "growth-dashboard-en");
await shot(admin.page, "/growth/framework", "growth-framework-en");
await shot(admin.page, "/growth/settings", "growth-settings-en");
const lead = await session("lead1@example.com");
await shot(lead.page, "/growth/dashboard", "growth-dashboard-zh");
const dark = await session("lead2@example.com", { scheme: "dark" });
await shot(dark.page, "/growth/dashboard", "growth-dashboard-dark");
const phone = await session("pm1@example.com", { width: 360, height: 740 });
await shot(phone.page, "/growth", "growth-mine-360");
await browser.close();
