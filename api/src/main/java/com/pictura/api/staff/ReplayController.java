package com.pictura.api.staff;

import java.util.List;

import com.pictura.api.security.Caller;
import com.pictura.api.security.StaffOnly;
import com.pictura.domain.account.Role;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Auditors rebuild a read model from the events and follow the rebuild's progress. */
@RestController
@RequestMapping("/audit/replays")
@StaffOnly(Role.AUDITOR)
public class ReplayController {

    private final ProjectionReplays replays;

    public ReplayController(ProjectionReplays replays) {
        this.replays = replays;
    }

    @GetMapping
    List<ProjectionReplays.Progress> all(Caller auditor) {
        return replays.replayable().stream().map(replays::progress).toList();
    }

    /** Empties a read model and rebuilds it from the first event; 202, then follow its progress. */
    @PostMapping("/{processor}")
    ResponseEntity<ProjectionReplays.Progress> start(Caller auditor, @PathVariable String processor,
                                                    @RequestBody(required = false) StaffRequests.Reason body) {
        String reason = StaffRequests.reason(body);
        return ResponseEntity.accepted().body(replays.start(processor, auditor.asStaff().toString(), reason));
    }

    @GetMapping("/{processor}")
    ProjectionReplays.Progress progress(Caller auditor, @PathVariable String processor) {
        return replays.progress(processor);
    }
}
