import { describe, expect, it } from "vitest";
import type { AccessReportRow } from "./access-report";
import { accessReportCsv } from "./access-report-csv";

const row: AccessReportRow = {
  seq: 7,
  id: "evt-7",
  at: "2024-03-15T08:30:00.000Z",
  action: "customer.reveal",
  outcome: "ok",
  purpose: 'ticket "4711", caller\nverification',
  refusal: null,
  staffId: "staff-1",
  staffEmail: "agent@example.com",
  staffName: "Alex Agent",
  clientAddress: "203.0.113.7",
  sessionId: "sid-1",
  requestId: "req-1",
};

describe("access report CSV", () => {
  it("is a header and one quoted record per access, CRLF-terminated", () => {
    const csv = accessReportCsv({ customerId: "c", from: "", to: "", rows: [row], truncated: false, limit: 10 });
    expect(csv).toBe(
      "time,action,action_label,outcome,purpose,refusal,staff_id,staff_email,client_address,session_id,request_id,event_seq,event_id\r\n" +
        '2024-03-15T08:30:00.000Z,customer.reveal,Revealed contact details,ok,"ticket ""4711"", caller\nverification",,staff-1,agent@example.com,203.0.113.7,sid-1,req-1,7,evt-7\r\n',
    );
  });

  it("keeps a purpose that looks like a formula from running in a spreadsheet", () => {
    const csv = accessReportCsv({ customerId: "c", from: "", to: "", rows: [{ ...row, purpose: '=HYPERLINK("x")' }], truncated: false, limit: 10 });
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
