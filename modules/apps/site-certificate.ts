import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";

/**
 * How long an apply waits for the certificate to be ISSUED. With a hosted zone it is minutes; without one somebody
 * creates the validation record by hand (the provisioning guide's first, targeted apply does that before the full
 * apply, so the wait is then immediate). ACM itself gives up on an unvalidated request after 72 hours.
 */
export const CERTIFICATE_VALIDATION_TIMEOUT = "2h";

export interface SiteCertificateProps {
  /** The site's hostname. */
  readonly domain: string;
  /** Route 53 zone of the domain; without one the validation record is created by hand. @default none */
  readonly hostedZoneId?: string;
  /** Terraform address name of the certificate, stable so that a first apply can target it (docs/provisioning.md). */
  readonly addressName: string;
  /**
   * Also covers `*.<domain>` (one level of subdomains). ACM validates the wildcard with the same DNS record as the
   * domain, so `validationRecord` stays the only record to create. @default false
   */
  readonly includeWildcard?: boolean;
}

/**
 * The ACM certificate of the site, validated through DNS: with a hosted zone the validation record is created here;
 * without one, `validationRecord` is what to create in the DNS that serves the domain (docs/provisioning.md). Either
 * way the apply waits until the certificate is ISSUED before anything gets its ARN, so the ALB's HTTPS listener is
 * never given a pending certificate. A replacement certificate is issued before the old one is released.
 */
export class SiteCertificate extends Construct {
  /** ARN of the certificate once issued: read from the validation, so users wait for it. */
  readonly arn: string;
  /** The DNS record that proves control of the domain: name, type and value. */
  readonly validationRecord: { readonly name: string; readonly type: string; readonly value: string };

  constructor(scope: Construct, id: string, props: SiteCertificateProps) {
    super(scope, id);
    const certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domain,
      subjectAlternativeNames: props.includeWildcard ? [`*.${props.domain}`] : undefined,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      lifecycle: { createBeforeDestroy: true },
    });
    certificate.overrideLogicalId(props.addressName);
    const option = certificate.domainValidationOptions.get(0);
    this.validationRecord = { name: option.resourceRecordName, type: option.resourceRecordType, value: option.resourceRecordValue };
    const record = props.hostedZoneId
      ? new Route53Record(this, "validation-record", {
          zoneId: props.hostedZoneId,
          name: this.validationRecord.name,
          type: this.validationRecord.type,
          records: [this.validationRecord.value],
          ttl: 300,
          allowOverwrite: true,
        })
      : undefined;
    // Without validation_record_fqdns the resource only waits for ISSUED (the record is created elsewhere).
    this.arn = new AcmCertificateValidation(this, "validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: record ? [record.fqdn] : undefined,
      timeouts: { create: CERTIFICATE_VALIDATION_TIMEOUT },
    }).certificateArn;
  }
}
