CREATE TABLE "approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"agent" text NOT NULL,
	"thread_id" text NOT NULL,
	"subject_id" text NOT NULL,
	"assignee_role" text NOT NULL,
	"unit_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"question" jsonb NOT NULL,
	"decision" text,
	"answer" jsonb,
	"answered_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bed_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"need" jsonb NOT NULL,
	"requester" text NOT NULL,
	"priority" text DEFAULT 'urgent' NOT NULL,
	"escalation_id" text,
	"status" text DEFAULT 'negotiating' NOT NULL,
	"hold_minutes" integer NOT NULL,
	"escalate_after_minutes" integer NOT NULL,
	"bed_id" text,
	"outcome" text,
	"options" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "theatre_bookings" (
	"id" text PRIMARY KEY NOT NULL,
	"theatre_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"procedure" text NOT NULL,
	"surgeon_staff_id" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"turnover_ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"rescheduled_to" text,
	"cancel_reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "theatres" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"unit_id" text NOT NULL,
	"turnover_minutes" integer DEFAULT 30 NOT NULL,
	"specialty" text
);
--> statement-breakpoint
ALTER TABLE "bed_reservations" ADD COLUMN "request_id" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "min_age_years" integer;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "max_age_years" integer;--> statement-breakpoint
ALTER TABLE "theatre_bookings" ADD CONSTRAINT "theatre_bookings_theatre_id_theatres_id_fk" FOREIGN KEY ("theatre_id") REFERENCES "public"."theatres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "theatres" ADD CONSTRAINT "theatres_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_pending_subject_uq" ON "approvals" USING btree ("subject_id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "approvals_due_idx" ON "approvals" USING btree ("due_at") WHERE status = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "bed_requests_escalation_uq" ON "bed_requests" USING btree ("escalation_id") WHERE escalation_id is not null;--> statement-breakpoint
CREATE INDEX "bed_requests_status_idx" ON "bed_requests" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "theatre_bookings_theatre_idx" ON "theatre_bookings" USING btree ("theatre_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "bed_reservations_active_request_uq" ON "bed_reservations" USING btree ("request_id") WHERE status in ('held', 'accepted') and request_id is not null;