ALTER TABLE "bed_requests" ADD COLUMN "agent_lease_by" text;--> statement-breakpoint
ALTER TABLE "bed_requests" ADD COLUMN "agent_lease_until" timestamp with time zone;