/**
 * PlatformBucket: a Cloud Storage bucket for platform data (logs, backups): uniform bucket-level access, public
 * access prevention enforced, versioning, and `prevent_destroy` so that no plan can delete it (DESIGN §2).
 */
import { Construct } from "constructs";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";

export interface PlatformBucketProps {
  readonly project: string;
  /** Globally unique bucket name. */
  readonly name: string;
  /** Region of the bucket (the cluster's region keeps traffic local). */
  readonly location: string;
  /** Days after which noncurrent object versions are deleted; default 30. */
  readonly noncurrentVersionDays?: number;
}

export class PlatformBucket extends Construct {
  readonly bucket: StorageBucket;
  readonly name: string;

  constructor(scope: Construct, id: string, props: PlatformBucketProps) {
    super(scope, id);
    this.name = props.name;
    this.bucket = new StorageBucket(this, "bucket", {
      project: props.project,
      name: props.name,
      location: props.location.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      forceDestroy: false,
      lifecycleRule: [
        {
          condition: { daysSinceNoncurrentTime: props.noncurrentVersionDays ?? 30, withState: "ARCHIVED" },
          action: { type: "Delete" },
        },
      ],
      lifecycle: { preventDestroy: true },
    });
  }

  /** Grants `role` on this bucket to `member` (e.g. a WorkloadIdentity's member). */
  grant(id: string, member: string, role = "roles/storage.objectUser"): StorageBucketIamMember {
    return new StorageBucketIamMember(this, id, { bucket: this.bucket.name, role, member });
  }
}
