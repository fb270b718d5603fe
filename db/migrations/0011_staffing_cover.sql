CREATE TABLE "cover_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"shift_id" text,
	"unit_id" text NOT NULL,
	"role" text NOT NULL,
	"kind" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"required_skill" text,
	"status" text DEFAULT 'open' NOT NULL,
	"approval_threshold_cents" integer NOT NULL,
	"filled_by" text,
	"cover_shift_id" text,
	"cost_cents" integer,
	"tier" text,
	"question" jsonb,
	"decisions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome" text,
	"agent_lease_by" text,
	"agent_lease_until" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roster_proposals" (
	"id" text PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"starts_on" date NOT NULL,
	"days" integer NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"input" jsonb NOT NULL,
	"roster" jsonb NOT NULL,
	"objective" integer NOT NULL,
	"lower_bound" integer,
	"report" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cover_requests" ADD CONSTRAINT "cover_requests_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "public"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cover_requests" ADD CONSTRAINT "cover_requests_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cover_requests" ADD CONSTRAINT "cover_requests_filled_by_staff_id_fk" FOREIGN KEY ("filled_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cover_requests" ADD CONSTRAINT "cover_requests_cover_shift_id_shifts_id_fk" FOREIGN KEY ("cover_shift_id") REFERENCES "public"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_proposals" ADD CONSTRAINT "roster_proposals_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cover_requests_shift_uq" ON "cover_requests" USING btree ("shift_id") WHERE shift_id is not null and status <> 'cancelled';--> statement-breakpoint
CREATE INDEX "cover_requests_status_idx" ON "cover_requests" USING btree ("status","starts_at");--> statement-breakpoint
CREATE INDEX "roster_proposals_unit_idx" ON "roster_proposals" USING btree ("unit_id","starts_on");