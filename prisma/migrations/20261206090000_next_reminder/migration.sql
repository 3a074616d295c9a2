-- When the ladder sends its next reminder about what the unit owes.
ALTER TABLE "Assignment" ADD COLUMN "nextReminderAt" TIMESTAMP(3);
