import { describe, expect, it } from "vitest";
import { isBreachedPassword, PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from "./password-policy";

describe("the password policy", () => {
  it("refuses fewer than 12 characters, counting characters rather than bytes", async () => {
    expect(await passwordProblem("short-pw-11")).toEqual({ reason: "too short", message: "Use at least 12 characters (this one has 11)." });
    expect((await passwordProblem(""))?.reason).toBe("too short");
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect((await passwordProblem("🔑".repeat(11)))?.message).toMatch(/this one has 11/);
    expect(await passwordProblem("🔑".repeat(PASSWORD_MIN))).toBeNull();
  });

  it("refuses more than 1024 characters", async () => {
    expect(await passwordProblem("x7".repeat(PASSWORD_MAX / 2) + "y")).toEqual({ reason: "too long", message: "Use at most 1024 characters." });
    expect(await passwordProblem("x7".repeat(PASSWORD_MAX / 2))).toBeNull();
  });

  it("refuses passwords from the breached list, whatever their case", async () => {
    for (const pw of ["password1234", "qwertyuiop123", "1q2w3e4r5t6y", "qwerty123456", "Password1234", "QWERTYUIOP123"]) {
      expect(await isBreachedPassword(pw), pw).toBe(true);
      expect(await passwordProblem(pw), pw).toEqual({ reason: "breached", message: "This password appears in lists of breached passwords. Choose another." });
    }
  });

  it("accepts a long password that is not in the list", async () => {
    for (const pw of ["correct horse battery staple", "mauve-otter-lantern-42", "Zr8#kq2!Lm0@"]) {
      expect(await isBreachedPassword(pw), pw).toBe(false);
      expect(await passwordProblem(pw), pw).toBeNull();
    }
  });
});
