import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

test("every page and API response carries the security headers; the CSP allows no eval", async ({ page, request }) => {
  // Collect any CSP violation the pages would report (an inline script or style the policy blocks).
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  for (const url of ["/", `/models/${MODEL}`, `/models/${MODEL}/cells/c:1:3`, `/models/${MODEL}/search?signal=is_space`, `/api/models`]) {
    const res = await request.get(url);
    const h = res.headers();
    expect(h["content-security-policy"], url).toContain("default-src 'self'");
    expect(h["content-security-policy"], url).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"], url).not.toContain("unsafe-eval");
    expect(h["x-content-type-options"], url).toBe("nosniff");
    expect(h["referrer-policy"], url).toBe("strict-origin-when-cross-origin");
    expect(h["x-frame-options"], url).toBe("DENY");
  }
  await page.goto(`/models/${MODEL}/cells/c:1:3?at=100`);
  await expect(page.getByTestId("cell-title")).toContainText("c:1:3");
  expect(violations).toEqual([]);
});
