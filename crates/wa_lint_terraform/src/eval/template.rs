//! String templates and heredocs: literals, `${…}` interpolations, `%{if}` / `%{for}`.

use std::collections::BTreeMap;

use hcl_edit::template::{Directive, Element, Template};
use wa_lint_graph::Value;
use wa_lint_source::Span;

use super::holes::{self, Rendered};
use super::values::{to_bool, to_str};
use super::{iteration_pairs, Eval, Fail, R};

impl Eval<'_> {
    /// A template's string. A template that is a single `${x}` yields `x` unchanged, as in
    /// Terraform. When interpolated parts are unknown the result is Unknown (reason of the first
    /// unknown part), except for an IAM policy document written as JSON text: that becomes the
    /// document (a map, every node at `span`) whose strings with unknown parts are Unknown.
    pub(crate) fn template(&mut self, t: &Template, span: Option<Span>) -> R {
        let mut elements = t.iter();
        if let (Some(Element::Interpolation(only)), None) = (elements.next(), elements.next()) {
            let mut node = self.eval(&only.expr)?;
            node.span = span;
            return Ok(node);
        }
        let mut r = Rendered::default();
        self.render(t, &mut r)?;
        Ok(holes::finish(r, span))
    }

    /// Appends the rendering of `template` to `out`: unknown interpolations become holes; an unknown
    /// directive condition or collection stops the rendering.
    fn render(&mut self, template: &Template, out: &mut Rendered) -> Result<(), Fail> {
        for element in template {
            match element {
                Element::Literal(lit) => out.push_text(lit.value()),
                Element::Interpolation(interp) => {
                    let value = match self.eval(&interp.expr) {
                        Ok(value) => value,
                        Err(f) => return out.fail(f),
                    };
                    match &value.value {
                        Value::Unknown(reason) => out.push_hole(reason.clone()),
                        other => match to_str(other) {
                            Ok(text) => out.push_text(&text),
                            Err(f) => return out.fail(f),
                        },
                    }
                }
                Element::Directive(d) => self.directive(d, out)?,
            }
            if out.stopped() {
                break;
            }
        }
        Ok(())
    }

    fn directive(&mut self, d: &Directive, r: &mut Rendered) -> Result<(), Fail> {
        match d {
            Directive::If(d) => {
                let cond = match self.eval(&d.if_expr.cond_expr) {
                    Ok(c) => c,
                    Err(f) => return r.fail(f),
                };
                if let Value::Unknown(reason) = cond.value {
                    r.stop(reason);
                    return Ok(());
                }
                let cond = match to_bool(&cond.value) {
                    Ok(c) => c,
                    Err(f) => return r.fail(f),
                };
                if cond {
                    self.render(&d.if_expr.template, r)
                } else if let Some(e) = &d.else_expr {
                    self.render(&e.template, r)
                } else {
                    Ok(())
                }
            }
            Directive::For(d) => {
                let f = &d.for_expr;
                let coll = match self.eval(&f.collection_expr) {
                    Ok(c) => c,
                    Err(e) => return r.fail(e),
                };
                let pairs = match iteration_pairs(coll, None) {
                    Ok(Ok(pairs)) => pairs,
                    Ok(Err(reason)) => {
                        r.stop(reason);
                        return Ok(());
                    }
                    Err(e) => return r.fail(e),
                };
                for (k, v) in pairs {
                    let mut frame = BTreeMap::new();
                    if let Some(kv) = &f.key_var {
                        frame.insert(kv.as_str().to_owned(), k);
                    }
                    frame.insert(f.value_var.as_str().to_owned(), v);
                    self.with_frame(frame, |ev| ev.render(&f.template, r))?;
                    if r.stopped() {
                        break;
                    }
                }
                Ok(())
            }
        }
    }
}
