import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ReplicaNote } from "./replica-note";

describe("replica note above the audit events", () => {
  it("says as of when (UTC) and how far behind the replica is, calmly (a status, not an alert)", () => {
    const html = renderToStaticMarkup(<ReplicaNote lag={{ asOf: new Date("2026-12-04T23:41:07.250Z"), behindSeconds: 12 }} />);
    expect(html).toContain('role="status"');
    expect(html.replace(/<[^>]+>/g, "")).toBe("Showing the log as of 23:41:07 (the read replica is 12 s behind)");
    expect(html).toContain('dateTime="2026-12-04T23:41:07.250Z"');
  });

  it("draws nothing when the replica is current (or there is none)", () => {
    expect(renderToStaticMarkup(<ReplicaNote lag={null} />)).toBe("");
  });
});
