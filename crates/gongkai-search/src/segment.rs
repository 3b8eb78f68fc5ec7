//! Chinese word segmentation (jieba) with the domain's vocabulary, as tantivy tokenizers.
//!
//! One dictionary is shared (`Arc`) by every tokenizer: tantivy clones a tokenizer per field
//! and per segment, and a cloned jieba dictionary costs megabytes and milliseconds.

use std::sync::Arc;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Terms of government disclosure kept whole by the segmenter (jieba's general dictionary
/// splits them, so a search for 信息处理费 would also match every 信息 and 处理).
pub const DOMAIN_TERMS: &[&str] = &[
    "政务公开",
    "政府信息公开",
    "依申请公开",
    "主动公开",
    "信息处理费",
    "规范性文件",
    "行政规范性文件",
    "预决算",
    "放管服",
    "一网通办",
    "一网通查",
    "好差评",
    "最多跑一次",
    "政策解读",
    "政务服务",
    "工作要点",
    "年度报告",
    "发文字号",
    "索引号",
    "公文种类",
    "不予公开",
    "部分公开",
    "行政复议",
    "行政诉讼",
    "行政许可",
    "行政处罚",
    "行政强制",
    "双随机",
    "营商环境",
    "乡村振兴",
    "社会保障",
    "公共资源配置",
    "重大建设项目",
    "政府采购",
    "征求意见",
    "人民政府",
    "办公厅",
    "办公室",
];

/// A word frequency high enough that jieba keeps a dictionary word whole.
const WORD_FREQ: usize = 100_000;

/// The segmenter: jieba's dictionary plus [`DOMAIN_TERMS`] and `extra` words (organization
/// names, 机关代字).
#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Jieba>,
}

impl Segmenter {
    /// Loads the dictionary (about 0.3 s) with the extra words.
    pub fn new<S: AsRef<str>>(extra: &[S]) -> Segmenter {
        let mut jieba = Jieba::new();
        for w in DOMAIN_TERMS {
            jieba.add_word(w, Some(WORD_FREQ), None);
        }
        for w in extra {
            let w = w.as_ref().trim();
            if !w.is_empty() && !w.chars().any(char::is_whitespace) {
                jieba.add_word(w, Some(WORD_FREQ), None);
            }
        }
        Segmenter {
            jieba: Arc::new(jieba),
        }
    }

    /// The words of a query, in order, without punctuation and repeats (jieba's default mode:
    /// one segmentation, the longest words).
    pub fn query_words(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.jieba.cut(text, true) {
            if is_word(t.word) {
                let w = normalize_word(t.word);
                if !out.contains(&w) {
                    out.push(w);
                }
            }
        }
        out
    }

    /// Shorter words that cover `word` side by side, with their character offsets (for a
    /// phrase that finds the word inside a longer one the index holds whole: 人民法院 in
    /// 最高人民法院 is 人民 + 法院), single characters filling the gaps. Empty for a word of
    /// one part.
    pub fn parts(&self, word: &str) -> Vec<(usize, String)> {
        let len = word.chars().count();
        let mut subs: Vec<(usize, usize, String)> = self
            .jieba
            .tokenize(word, TokenizeMode::Search, false)
            .into_iter()
            .filter(|t| is_word(t.word) && t.end - t.start < len)
            .map(|t| (t.start, t.end, normalize_word(t.word)))
            .collect();
        // Longest first at each start, then walk from the start of the word; where no
        // dictionary word starts, the single character (蜂产品 in 危害蜂产品质量 is indexed as
        // 蜂 + 产品质量, and 产品).
        subs.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let chars: Vec<char> = word.chars().collect();
        let mut out = Vec::new();
        let mut at = 0;
        while at < len {
            match subs.iter().find(|s| s.0 == at) {
                Some((start, end, w)) => {
                    out.push((*start, w.clone()));
                    at = *end;
                }
                None => {
                    let c = chars[at].to_string();
                    if !is_word(&c) {
                        return Vec::new();
                    }
                    out.push((at, normalize_word(&c)));
                    at += 1;
                }
            }
        }
        if out.len() < 2 { Vec::new() } else { out }
    }

    /// The tokenizer of indexed text: search mode, so 中华人民共和国 also yields 中华, 人民,
    /// 共和国; positions are character offsets, so phrases over overlapping words work.
    pub fn index_tokenizer(&self) -> ZhTokenizer {
        ZhTokenizer {
            jieba: Arc::clone(&self.jieba),
            mode: TokenizeMode::Search,
        }
    }

    /// The tokenizer of snippets and highlights: default mode (search mode's overlapping
    /// words break tantivy's highlighter).
    pub fn plain_tokenizer(&self) -> ZhTokenizer {
        ZhTokenizer {
            jieba: Arc::clone(&self.jieba),
            mode: TokenizeMode::Default,
        }
    }
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Segmenter")
    }
}

/// Whether a token carries a word: any letter, digit or Chinese character.
fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// Lower case, half-width Latin letters and digits, so `ＰＤＦ`, `Pdf` and `pdf` match.
fn normalize_word(token: &str) -> String {
    token
        .chars()
        .map(|c| match c {
            '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// jieba as a tantivy tokenizer; punctuation and whitespace yield no token.
#[derive(Clone)]
pub struct ZhTokenizer {
    jieba: Arc<Jieba>,
    mode: TokenizeMode,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        let base = text.as_ptr() as usize;
        let token = |word: &str, start: usize, end: usize| {
            let from = word.as_ptr() as usize - base;
            Token {
                offset_from: from,
                offset_to: from + word.len(),
                position: start,
                text: normalize_word(word),
                position_length: end - start,
            }
        };
        let mut tokens = Vec::new();
        for t in self.jieba.tokenize(text, self.mode, true) {
            if !is_word(t.word) {
                continue;
            }
            tokens.push(token(t.word, t.start, t.end));
            // Search mode adds only the two- and three-character words inside a long one, so
            // 人民政府 inside 福州市人民政府办公厅 (an organization's name, kept whole) could not
            // be found; the longer dictionary words inside it are added too.
            if self.mode == TokenizeMode::Search && t.end - t.start > 4 {
                for sub in self.jieba.cut_all(t.word) {
                    let len = sub.end - sub.start;
                    if len >= 4 && len < t.end - t.start {
                        tokens.push(token(sub.word, t.start + sub.start, t.start + sub.end));
                    }
                }
            }
        }
        ZhTokenStream {
            tokens,
            next: 0,
            token: Token::default(),
        }
    }
}

/// The tokens of one text.
pub struct ZhTokenStream {
    tokens: Vec<Token>,
    next: usize,
    token: Token,
}

impl TokenStream for ZhTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.get_mut(self.next) {
            Some(t) => {
                self.token = std::mem::take(t);
                self.next += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Overlapping pairs of characters with their character positions, so a phrase of pairs
/// finds any substring (tantivy's n-gram tokenizer gives every token position 0). Pairs
/// across punctuation or spaces are skipped.
#[derive(Clone, Copy, Debug, Default)]
pub struct BigramTokenizer;

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut tokens = Vec::with_capacity(chars.len());
        for (i, pair) in chars.windows(2).enumerate() {
            let [(from, a), (b_at, b)] = [pair[0], pair[1]];
            if !(a.is_alphanumeric() && b.is_alphanumeric()) {
                continue;
            }
            let to = b_at + b.len_utf8();
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position: i,
                text: normalize_word(&text[from..to]),
                position_length: 1,
            });
        }
        ZhTokenStream {
            tokens,
            next: 0,
            token: Token::default(),
        }
    }
}
