import { describe, expect, it } from "vitest";
import { englishT } from "@/lib/i18n/english";
import { isBreachedPassword, PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from "./password-policy";

describe("the password policy", () => {
  it("refuses fewer than 12 characters, counting characters rather than bytes", async () => {
    const problem = await passwordProblem("short-pw-11");
    expect(problem?.reason).toBe("too short");
    expect(problem && englishT(problem.message.key, problem.message.vars)).toBe("Use at least 12 characters (this one has 11).");
    expect((await passwordProblem(""))?.reason).toBe("too short");
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect((await passwordProblem("🔑".repeat(11)))?.message.vars?.length).toBe(11);
    expect(await passwordProblem("🔑".repeat(PASSWORD_MIN))).toBeNull();
  });

  it("refuses more than 1024 characters", async () => {
    expect(await passwordProblem("x7".repeat(PASSWORD_MAX / 2) + "y")).toEqual({
      reason: "too long",
      message: { key: "password.refusals.tooLong", vars: { max: 1024 } },
    });
    expect(await passwordProblem("x7".repeat(PASSWORD_MAX / 2))).toBeNull();
  });

  it("refuses passwords from the breached list, whatever their case", async () => {
    for (const pw of ["password1234", "qwertyuiop123", "1q2w3e4r5t6y", "qwerty123456", "Password1234", "QWERTYUIOP123"]) {
      expect(await isBreachedPassword(pw), pw).toBe(true);
      expect(await passwordProblem(pw), pw).toEqual({ reason: "breached", message: { key: "password.refusals.breached" } });
    }
  });

  it("accepts a long password that is not in the list", async () => {
    for (const pw of ["correct horse battery staple", "mauve-otter-lantern-42", "Zr8#kq2!Lm0@"]) {
      expect(await isBreachedPassword(pw), pw).toBe(false);
      expect(await passwordProblem(pw), pw).toBeNull();
    }
  });
});
