//! Unit tests of `src/backlog/model.rs`.

use keel::backlog::model::*;
use keel::error::{AppError, ErrorCode};

#[test]
fn rice_worked_example_and_rejected_inputs() {
    let r = ScoreInput::Rice {
        reach: 2000.0,
        impact: 2.0,
        confidence: 80.0,
        effort: 4.0,
    };
    assert_eq!(r.score().unwrap(), 800.0);
    assert!(r.explain().unwrap().ends_with("= 800"));
    let bad_impact = ScoreInput::Rice {
        reach: 1.0,
        impact: 1.5,
        confidence: 80.0,
        effort: 1.0,
    };
    assert_eq!(
        bad_impact.score().unwrap_err(),
        AppError::field(ErrorCode::OutOfScale, "impact")
    );
    let bad_conf = ScoreInput::Rice {
        reach: 1.0,
        impact: 1.0,
        confidence: 90.0,
        effort: 1.0,
    };
    assert_eq!(
        bad_conf.score().unwrap_err().field.as_deref(),
        Some("confidence")
    );
    let zero_effort = ScoreInput::Rice {
        reach: 1.0,
        impact: 1.0,
        confidence: 50.0,
        effort: 0.0,
    };
    assert_eq!(
        zero_effort.score().unwrap_err(),
        AppError::field(ErrorCode::MustBePositive, "effort")
    );
    let tiny = ScoreInput::Rice {
        reach: 0.0,
        impact: 0.25,
        confidence: 50.0,
        effort: 0.5,
    };
    assert_eq!(tiny.score().unwrap(), 0.0);
}

#[test]
fn wsjf_worked_example_and_scale() {
    let w = ScoreInput::Wsjf {
        business_value: 8.0,
        time_criticality: 5.0,
        risk_reduction: 3.0,
        job_size: 8.0,
    };
    assert_eq!(w.score().unwrap(), 2.0);
    let off = ScoreInput::Wsjf {
        business_value: 4.0,
        time_criticality: 5.0,
        risk_reduction: 3.0,
        job_size: 8.0,
    };
    assert_eq!(
        off.score().unwrap_err().field.as_deref(),
        Some("business_value")
    );
    let zero = ScoreInput::Wsjf {
        business_value: 1.0,
        time_criticality: 1.0,
        risk_reduction: 1.0,
        job_size: 0.0,
    };
    assert_eq!(zero.score().unwrap_err().code, ErrorCode::MustBePositive);
    let max = ScoreInput::Wsjf {
        business_value: 20.0,
        time_criticality: 20.0,
        risk_reduction: 20.0,
        job_size: 1.0,
    };
    assert_eq!(max.score().unwrap(), 60.0);
}

#[test]
fn ice_and_value_effort_bounds() {
    assert_eq!(
        ScoreInput::Ice {
            impact: 10.0,
            confidence: 10.0,
            ease: 10.0
        }
        .score()
        .unwrap(),
        1000.0
    );
    assert_eq!(
        ScoreInput::Ice {
            impact: 1.0,
            confidence: 1.0,
            ease: 1.0
        }
        .score()
        .unwrap(),
        1.0
    );
    assert!(
        ScoreInput::Ice {
            impact: 0.0,
            confidence: 5.0,
            ease: 5.0
        }
        .score()
        .is_err()
    );
    assert!(
        ScoreInput::Ice {
            impact: 11.0,
            confidence: 5.0,
            ease: 5.0
        }
        .score()
        .is_err()
    );
    assert!(
        ScoreInput::Ice {
            impact: 5.5,
            confidence: 5.0,
            ease: 5.0
        }
        .score()
        .is_err()
    );
    assert_eq!(
        ScoreInput::ValueEffort {
            value: 8.0,
            effort: 2.0
        }
        .score()
        .unwrap(),
        4.0
    );
    assert!(
        ScoreInput::ValueEffort {
            value: 8.0,
            effort: 0.0
        }
        .score()
        .is_err()
    );
}

#[test]
fn quadrants_turn_at_six() {
    assert_eq!(quadrant(6.0, 5.0), Quadrant::QuickWin);
    assert_eq!(quadrant(6.0, 6.0), Quadrant::BigBet);
    assert_eq!(quadrant(5.0, 5.0), Quadrant::FillIn);
    assert_eq!(quadrant(5.0, 6.0), Quadrant::MoneyPit);
}

#[test]
fn moscow_orders_must_first() {
    let must = ScoreInput::Moscow {
        category: Moscow::Must,
    }
    .score()
    .unwrap();
    let wont = ScoreInput::Moscow {
        category: Moscow::Wont,
    }
    .score()
    .unwrap();
    assert!(must > wont);
}

#[test]
fn lifecycle() {
    use Status::*;
    assert!(New.can_move_to(UnderReview));
    assert!(New.can_move_to(Planned));
    assert!(Planned.can_move_to(UnderReview));
    assert!(!Planned.can_move_to(New));
    assert!(InProgress.can_move_to(Rejected));
    assert!(New.can_move_to(Duplicate));
    assert!(!Done.can_move_to(Rejected));
    assert!(Rejected.can_move_to(UnderReview));
    assert!(!Rejected.can_move_to(Done));
    assert!(!New.can_move_to(New));
    // Done work reopens to in progress only, with a reason; so does rejecting.
    assert!(Done.can_move_to(InProgress));
    assert!(!Done.can_move_to(Planned));
    assert!(Done.needs_reason(InProgress));
    assert!(Planned.needs_reason(Rejected));
    assert!(!Planned.needs_reason(InProgress));
    // Only a new requirement can be withdrawn, and withdrawn is final.
    assert!(New.can_move_to(Withdrawn));
    assert!(!UnderReview.can_move_to(Withdrawn));
    for s in Status::ALL {
        assert!(!Withdrawn.can_move_to(s), "withdrawn → {s:?}");
    }
    assert!(Withdrawn.is_closed() && Done.is_closed() && !InProgress.is_closed());
}

#[test]
fn an_edit_names_only_the_fields_that_changed() {
    let before = RequirementDraft {
        title: "导出报表".into(),
        source: Some(Source::Customer),
        links: vec!["https://example.com/a".into()],
        ..Default::default()
    };
    let after = RequirementDraft {
        title: "导出报表 v2".into(),
        ..before.clone()
    };
    let (from, to) = field_changes(&before, &after);
    assert_eq!(from.keys().copied().collect::<Vec<_>>(), ["title"]);
    assert_eq!(to["title"], "导出报表 v2");
    assert!(field_changes(&before, &before).0.is_empty());
}

#[test]
fn agreement_counts_scale_steps() {
    assert_eq!(
        agreement(&[5.0, 8.0, 5.0], &FIBONACCI),
        Some(Agreement::High)
    );
    assert_eq!(agreement(&[3.0, 8.0], &FIBONACCI), Some(Agreement::Medium));
    assert_eq!(agreement(&[2.0, 8.0], &FIBONACCI), Some(Agreement::Low));
    assert_eq!(
        agreement(&[4.0, 5.0, 6.0], &one_to_ten_scale()),
        Some(Agreement::Medium)
    );
    assert_eq!(
        agreement(&[4.0], &one_to_ten_scale()),
        Some(Agreement::High)
    );
    assert_eq!(agreement(&[4.0, 7.5], &one_to_ten_scale()), None);
    assert_eq!(suggested_median(&[3.0, 5.0, 13.0], &FIBONACCI), Some(5.0));
    assert_eq!(suggested_median(&[5.0, 13.0], &FIBONACCI), Some(8.0));
    assert_eq!(suggested_median(&[], &FIBONACCI), None);
}

mod rank_rules {
    use keel::backlog::model::*;

    #[test]
    fn a_new_score_goes_before_the_first_lower_unpinned() {
        let others = [
            (Some(9.0), false),
            (Some(1.0), true),
            (Some(5.0), false),
            (None, false),
        ];
        assert_eq!(
            placement_index(&others, Some(7.0)),
            2,
            "steps over the pinned 1.0"
        );
        assert_eq!(placement_index(&others, Some(10.0)), 0);
        assert_eq!(placement_index(&others, Some(5.0)), 3, "ties go after");
        assert_eq!(placement_index(&others, None), 4);
    }

    #[test]
    fn disagreement_is_marked_where_a_lower_score_sits_above() {
        assert_eq!(
            out_of_order(&[Some(9.0), Some(1.0), Some(5.0), None]),
            vec![false, true, false, false]
        );
        assert_eq!(out_of_order(&[None, Some(2.0)]), vec![true, false]);
    }
}

mod requirement_tests {
    use keel::backlog::model::*;
    use keel::error::{AppError, ErrorCode};

    fn fields(title: &'static str) -> RequirementFields<'static> {
        RequirementFields {
            title,
            source: "customer",
            ..Default::default()
        }
    }

    fn codes(r: Result<RequirementDraft, Vec<AppError>>) -> Vec<(String, ErrorCode)> {
        r.unwrap_err()
            .into_iter()
            .map(|e| (e.field.unwrap_or_default(), e.code))
            .collect()
    }

    #[test]
    fn a_good_requirement_is_trimmed_and_split() {
        let f = RequirementFields {
            title: "  登录失败 ",
            source: "客服",
            links: "https://a.example/1\nhttp://b.example/2 ; https://c.example",
            labels: "web, 移动端；web",
            ..Default::default()
        };
        let d = parse_requirement(&f, true).unwrap();
        assert_eq!(d.title, "登录失败");
        assert_eq!(d.source, Some(Source::Support));
        assert_eq!(
            d.links,
            vec![
                "https://a.example/1",
                "http://b.example/2",
                "https://c.example"
            ]
        );
        assert_eq!(d.labels, vec!["web", "移动端"]);
    }

    #[test]
    fn every_problem_is_reported_at_its_field_in_field_order() {
        let long = "x".repeat(121);
        let f = RequirementFields {
            title: "",
            source: "天上掉的",
            requester: &long,
            links: "https://ok.example javascript:alert(1)",
            labels: "a",
            ..Default::default()
        };
        assert_eq!(
            codes(parse_requirement(&f, false)),
            vec![
                ("title".into(), ErrorCode::Required),
                ("source".into(), ErrorCode::InvalidChoice),
                ("requester".into(), ErrorCode::TooLong),
                ("links".into(), ErrorCode::InvalidLink),
                ("labels".into(), ErrorCode::Forbidden),
            ]
        );
        assert_eq!(
            codes(parse_requirement(
                &RequirementFields {
                    source: " ",
                    ..fields("t")
                },
                true
            )),
            vec![("source".into(), ErrorCode::Required)]
        );
    }

    #[test]
    fn links_are_only_web_links() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://x",
            "//x",
            "JAVASCRIPT:x",
        ] {
            let f = RequirementFields {
                links: bad,
                ..fields("t")
            };
            assert_eq!(
                codes(parse_requirement(&f, true)),
                vec![("links".into(), ErrorCode::InvalidLink)],
                "{bad}"
            );
        }
        let long = format!("https://x.example/{}", "a".repeat(2000));
        let f = RequirementFields {
            links: &long,
            ..fields("t")
        };
        assert_eq!(
            codes(parse_requirement(&f, true)),
            vec![("links".into(), ErrorCode::InvalidLink)]
        );
    }

    #[test]
    fn labels_keep_their_limits_and_are_for_editors() {
        let many = (0..=LABELS_MAX)
            .map(|i| format!("l{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let long = "x".repeat(LABEL_MAX + 1);
        for raw in [many.as_str(), long.as_str()] {
            let f = RequirementFields {
                labels: raw,
                ..fields("t")
            };
            assert_eq!(
                codes(parse_requirement(&f, true)),
                vec![("labels".into(), ErrorCode::TooLong)]
            );
        }
        let twenty = (0..LABELS_MAX)
            .map(|i| format!("l{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let f = RequirementFields {
            labels: &twenty,
            ..fields("t")
        };
        assert_eq!(
            parse_requirement(&f, true).unwrap().labels.len(),
            LABELS_MAX
        );
        assert_eq!(
            codes(parse_requirement(&f, false)),
            vec![("labels".into(), ErrorCode::Forbidden)]
        );
        // No labels: nothing to refuse.
        assert!(parse_requirement(&fields("t"), false).is_ok());
    }
}

mod group_scoring {
    use keel::backlog::model::*;

    #[test]
    fn values_round_trip_for_every_framework() {
        let inputs = [
            ScoreInput::Rice {
                reach: 500.0,
                impact: 2.0,
                confidence: 80.0,
                effort: 1.5,
            },
            ScoreInput::Wsjf {
                business_value: 8.0,
                time_criticality: 3.0,
                risk_reduction: 1.0,
                job_size: 5.0,
            },
            ScoreInput::Ice {
                impact: 7.0,
                confidence: 5.0,
                ease: 9.0,
            },
            ScoreInput::ValueEffort {
                value: 8.0,
                effort: 2.0,
            },
            ScoreInput::Moscow {
                category: Moscow::Could,
            },
        ];
        for i in inputs {
            let back = ScoreInput::from_values(i.framework(), &i.values());
            assert_eq!(back.as_ref(), Some(&i));
        }
        assert_eq!(
            ScoreInput::from_values(Framework::Ice, &[("impact", 1.0)]),
            None,
            "a missing field is no input"
        );
    }

    #[test]
    fn changes_name_each_field_that_moved() {
        let a = ScoreInput::ValueEffort {
            value: 8.0,
            effort: 2.0,
        };
        let b = ScoreInput::ValueEffort {
            value: 8.0,
            effort: 5.0,
        };
        assert_eq!(
            score_changes(Some(&a), &b),
            vec![FieldChange {
                field: "effort".into(),
                from: Some(2.0),
                to: 5.0
            }]
        );
        assert_eq!(
            score_changes(None, &a).len(),
            2,
            "a first score names every input"
        );
    }

    #[test]
    fn a_wsjf_round_summarises_spread_agreement_and_median() {
        let e = |bv: f64, js: f64| ScoreInput::Wsjf {
            business_value: bv,
            time_criticality: 3.0,
            risk_reduction: 1.0,
            job_size: js,
        };
        let s = summarise(Framework::Wsjf, &[e(3.0, 5.0), e(13.0, 8.0), e(5.0, 5.0)]);
        let bv = &s[0];
        assert_eq!((bv.min, bv.max), (3.0, 13.0));
        assert_eq!(
            bv.agreement,
            Some(Agreement::Low),
            "3 → 13 spans three steps"
        );
        assert_eq!(bv.suggested, 5.0);
        assert_eq!(s[1].agreement, Some(Agreement::High), "all the same");
        assert_eq!(
            s[3].agreement,
            Some(Agreement::High),
            "5 and 8 are one step apart"
        );
        assert_eq!(s[3].suggested, 5.0);
    }

    #[test]
    fn free_numbers_agree_by_ratio() {
        assert_eq!(ratio_agreement(&[100.0, 200.0]), Some(Agreement::High));
        assert_eq!(ratio_agreement(&[100.0, 350.0]), Some(Agreement::Medium));
        assert_eq!(ratio_agreement(&[100.0, 500.0]), Some(Agreement::Low));
        assert_eq!(ratio_agreement(&[]), None);
        let s = summarise(
            Framework::Rice,
            &[
                ScoreInput::Rice {
                    reach: 100.0,
                    impact: 1.0,
                    confidence: 80.0,
                    effort: 1.0,
                },
                ScoreInput::Rice {
                    reach: 300.0,
                    impact: 3.0,
                    confidence: 100.0,
                    effort: 2.0,
                },
            ],
        );
        assert_eq!(
            s[0].suggested, 200.0,
            "the median of a free number is not snapped"
        );
        assert_eq!(
            s[1].agreement,
            Some(Agreement::Medium),
            "impact 1 → 3 is two steps"
        );
        assert_eq!(
            s[1].suggested, 2.0,
            "the median of 1 and 3 is 2, a point of the scale"
        );
        assert_eq!(
            s[2].agreement,
            Some(Agreement::High),
            "80 % and 100 % are neighbours"
        );
    }
}
