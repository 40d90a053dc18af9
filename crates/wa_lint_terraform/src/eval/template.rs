//! String templates and heredocs: literals, `${…}` interpolations, `%{if}` / `%{for}`.

use std::collections::BTreeMap;

use hcl_edit::template::{Directive, Element, Template};
use wa_lint_graph::{Node, Value};
use wa_lint_source::Span;

use super::values::{to_bool, to_str};
use super::{iteration_pairs, Eval, Fail, R};

impl Eval<'_> {
    /// A template's string; Unknown when any interpolated part is unknown. A template that is a
    /// single `${x}` yields `x` unchanged, as in Terraform.
    pub(crate) fn template(&mut self, t: &Template, span: Option<Span>) -> R {
        let mut elements = t.iter();
        if let (Some(Element::Interpolation(only)), None) = (elements.next(), elements.next()) {
            let mut node = self.eval(&only.expr)?;
            node.span = span;
            return Ok(node);
        }
        let mut out = String::new();
        Ok(match self.render(t, &mut out)? {
            Some(reason) => Node::unknown(reason, span),
            None => Node::new(Value::String(out), span),
        })
    }

    /// Appends the rendering of `t` to `out`; `Some(reason)` when a part is unknown.
    fn render(&mut self, t: &Template, out: &mut String) -> Result<Option<String>, Fail> {
        for element in t {
            match element {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr)?;
                    match &v.value {
                        Value::Unknown(reason) => return Ok(Some(reason.clone())),
                        other => out.push_str(&to_str(other)?),
                    }
                }
                Element::Directive(d) => {
                    if let Some(reason) = self.directive(d, out)? {
                        return Ok(Some(reason));
                    }
                }
            }
        }
        Ok(None)
    }

    fn directive(&mut self, d: &Directive, out: &mut String) -> Result<Option<String>, Fail> {
        match d {
            Directive::If(d) => {
                let cond = self.eval(&d.if_expr.cond_expr)?;
                if let Value::Unknown(reason) = cond.value {
                    return Ok(Some(reason));
                }
                if to_bool(&cond.value)? {
                    self.render(&d.if_expr.template, out)
                } else if let Some(e) = &d.else_expr {
                    self.render(&e.template, out)
                } else {
                    Ok(None)
                }
            }
            Directive::For(d) => {
                let f = &d.for_expr;
                let coll = self.eval(&f.collection_expr)?;
                let pairs = match iteration_pairs(coll, None)? {
                    Ok(pairs) => pairs,
                    Err(reason) => return Ok(Some(reason)),
                };
                for (k, v) in pairs {
                    let mut frame = BTreeMap::new();
                    if let Some(kv) = &f.key_var {
                        frame.insert(kv.as_str().to_owned(), k);
                    }
                    frame.insert(f.value_var.as_str().to_owned(), v);
                    if let Some(reason) =
                        self.with_frame(frame, |ev| ev.render(&f.template, out))?
                    {
                        return Ok(Some(reason));
                    }
                }
                Ok(None)
            }
        }
    }
}
