CREATE TABLE "bed_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"txid" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL,
	"bed_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"change" text NOT NULL,
	"actor" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "expected_discharge_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "bed_events_order_idx" ON "bed_events" USING btree ("txid","id");