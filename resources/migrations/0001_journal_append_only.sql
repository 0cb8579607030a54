-- The journal only grows: corrections are reversing postings, never edits.
CREATE TRIGGER journal_postings_no_update BEFORE UPDATE ON journal_postings BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_postings rows cannot be updated'); END;
--> statement-breakpoint
CREATE TRIGGER journal_postings_no_delete BEFORE DELETE ON journal_postings BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_postings rows cannot be deleted'); END;
--> statement-breakpoint
CREATE TRIGGER journal_lines_no_update BEFORE UPDATE ON journal_lines BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_lines rows cannot be updated'); END;
--> statement-breakpoint
CREATE TRIGGER journal_lines_no_delete BEFORE DELETE ON journal_lines BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_lines rows cannot be deleted'); END;
