import { cidrContains, cidrSize, cidrsOverlap, formatCidr, parseCidr, tryParseCidr } from "../../modules/network/cidr";

describe("CIDR helper", () => {
  it("parses and formats a block", () => {
    const cidr = parseCidr("10.20.0.0/16");
    expect(formatCidr(cidr)).toBe("10.20.0.0/16");
    expect(cidrSize(cidr)).toBe(65536);
  });

  it("handles the extremes of the address space", () => {
    expect(formatCidr(parseCidr("0.0.0.0/0"))).toBe("0.0.0.0/0");
    expect(formatCidr(parseCidr("255.255.255.255/32"))).toBe("255.255.255.255/32");
  });

  it.each(["10.0.0/16", "10.0.0.0", "10.0.0.256/16", "10.0.0.0/33", "a.b.c.d/8", " 10.0.0.0/16"])("refuses %p", (text) => {
    expect(tryParseCidr(text)).toBeUndefined();
    expect(() => parseCidr(text)).toThrow(`"${text}" is not an IPv4 CIDR block like 10.0.0.0/16`);
  });

  it("refuses host bits and names the block", () => {
    expect(() => parseCidr("10.0.1.0/16")).toThrow('"10.0.1.0/16" has host bits set; the block is 10.0.0.0/16');
  });

  it("decides containment", () => {
    expect(cidrContains(parseCidr("10.0.0.0/16"), parseCidr("10.0.255.0/24"))).toBe(true);
    expect(cidrContains(parseCidr("10.0.0.0/16"), parseCidr("10.1.0.0/24"))).toBe(false);
    expect(cidrContains(parseCidr("10.0.0.0/24"), parseCidr("10.0.0.0/16"))).toBe(false);
  });

  it("decides overlap in both directions and at the edges", () => {
    expect(cidrsOverlap(parseCidr("10.0.0.0/16"), parseCidr("10.0.128.0/17"))).toBe(true);
    expect(cidrsOverlap(parseCidr("10.0.128.0/17"), parseCidr("10.0.0.0/16"))).toBe(true);
    expect(cidrsOverlap(parseCidr("10.0.0.0/17"), parseCidr("10.0.128.0/17"))).toBe(false);
    expect(cidrsOverlap(parseCidr("10.0.0.0/16"), parseCidr("10.1.0.0/16"))).toBe(false);
  });
});
