/**
 * Groups of spellings of one term. A document may use any valid spelling, but only one:
 * when it mixes them, the minority is reported. Wrong spellings (typos) are always reported.
 * `preferred` is the guideline's spelling (or the knowledge base's headword), used when the
 * document's own choice is a tie; the built-in dictionary (server/knowledge/prh/lgpolicy.yml)
 * lists the same preference, and a test keeps the two in step.
 */
export interface VariantGroup {
  id: string;
  /** Global regex matching every spelling of the term (valid and wrong). */
  re: RegExp;
  preferred?: string;
  /** Spellings that are typos, not style choices. */
  wrong?: RegExp;
  /** The typo repaired on its own (when the document has no valid spelling to follow). */
  repair?: (form: string) => string;
  /** Japanese: what the typo is (no final 。). */
  wrongWhy?: string;
  /** Japanese: why mixing matters for this term (one clause, no final 。). */
  why?: string;
  seeds: string[];
}

const LONG_VOWEL_WHY = '語末の長音「ー」を付けるかどうかはどちらでも誤りではありませんが、一つの文書の中ではそろえるのが公用文の基本です';

function longVowel(id: string, stem: string, preferred: boolean, notFollowedBy?: string): VariantGroup {
  return {
    id,
    re: new RegExp(`${stem}ー?${notFollowedBy ? `(?!${notFollowedBy})` : ''}`, 'g'),
    preferred: preferred ? stem : undefined,
    why: LONG_VOWEL_WHY,
    seeds: [],
  };
}

function ware(id: string, stem: string, preferred: boolean): VariantGroup {
  return { id, re: new RegExp(`${stem}ウ[ェエ]ア`, 'g'), preferred: preferred ? `${stem}ウェア` : undefined, why: '「ウェア」と「ウエア」はどちらも使われる書き方ですが、一つの文書の中ではそろえるのが公用文の基本です', seeds: [] };
}

const NAKAGURO_WHY = '語の間に「・」を入れるかどうかはどちらでも誤りではありませんが、一つの文書の中ではそろえるのが公用文の基本です';

function nakaguro(id: string, left: string, right: string): VariantGroup {
  return { id, re: new RegExp(`(?<![ァ-ヺー])${left}・?${right}`, 'g'), preferred: left + right, why: NAKAGURO_WHY, seeds: [] };
}

const PRIME_WHY = "「'」「’」「′」のように記号が違うだけでも、検索や置換では別の語として扱われます";

const NOTATION_WHY = '漢字と仮名のどちらで書くか（送り仮名を含む）は一つの文書の中ではそろえるのが公用文の基本です';

export const VARIANT_GROUPS: VariantGroup[] = [
  {
    id: 'web-meeting',
    re: /(?<![A-Za-zＡ-Ｚａ-ｚ])(?:[Ww][Ee][Bb]|[Ｗｗ][Ｅｅ][Ｂｂ]|ウ[ェエ]ブ)会議/g,
    preferred: 'Web会議',
    why: 'ガイドラインは「Web会議」と書いています（6.1(21)）',
    seeds: ['意見91'],
  },
  {
    id: 'malware-measures',
    re: /不正プログラム(?:への|の)?対策/g,
    preferred: '不正プログラム対策',
    why: 'ガイドラインの改定案でも三つの書き方が混在していて統一を求める意見が出ました（意見70）。節の名前は「不正プログラム対策」です（6.4）',
    seeds: ['意見70'],
  },
  {
    id: 'shadow-it',
    re: /シャド(?:ー|ウ|[-－‐−])(?:IT|ＩＴ)/g,
    preferred: 'シャドーIT',
    wrong: /シャド[-－‐−]/,
    repair: (f) => f.replace(/[-－‐−]/, 'ー'),
    wrongWhy: '長音の「ー」の代わりにハイフンが入っています',
    seeds: ['質問42'],
  },
  {
    id: 'security',
    re: /セキュリ(?:ティ|テイ)ー?/g,
    preferred: 'セキュリティ',
    wrong: /セキュリテイ/,
    repair: (f) => f.replace('テイ', 'ティ'),
    wrongWhy: '小さい「ィ」が大きい「イ」になっています',
    why: 'ガイドラインと役職名（統括情報セキュリティ責任者など）は「セキュリティ」と書いています',
    seeds: [],
  },
  // Long vowels: the guideline writes サーバ (4.1) and コンピュータ (6.1); the knowledge base
  // USBメモリ and セキュアブラウザ. For the others the document's first spelling decides a tie.
  longVowel('server', 'サーバ', true, 'ント'),
  longVowel('computer', 'コンピュータ', true),
  longVowel('memory', 'メモリ', true, 'アル'),
  longVowel('browser', 'ブラウザ', true),
  longVowel('user', 'ユーザ', false, 'ビリティ'),
  longVowel('printer', 'プリンタ', false),
  longVowel('folder', 'フォルダ', false),
  ware('software', 'ソフト', true),
  ware('malware', 'マル', true),
  ware('ransomware', 'ランサム', true),
  ware('hardware', 'ハード', false),
  ware('firmware', 'ファーム', false),
  ware('middleware', 'ミドル', false),
  // Kanji or kana: the knowledge base's headwords.
  { id: 'leak', re: /漏(?:えい|洩)/g, preferred: '漏えい', why: NOTATION_WHY, seeds: [] },
  { id: 'spoofing', re: /(?:なりすまし|成りすまし|成り済まし)/g, preferred: 'なりすまし', why: NOTATION_WHY, seeds: [] },
  { id: 'vulnerability', re: /(?:脆弱|ぜい弱)/g, preferred: '脆弱', why: NOTATION_WHY, seeds: [] },
  { id: 'handling-restriction', re: /取(?:り扱い|扱い|扱)制限/g, preferred: '取扱制限', why: NOTATION_WHY, seeds: [] },
  { id: 'rating', re: /格付け?/g, preferred: '格付', why: NOTATION_WHY, seeds: [] },
  { id: 'behavior-detection', re: /(?:振る舞い|振舞い|ふるまい)検知/g, preferred: '振る舞い検知', why: NOTATION_WHY, seeds: [] },
  { id: 'firewall', re: /ファイ(?:ア|アー|ヤー|ヤ)ウォール/g, preferred: 'ファイアウォール', why: LONG_VOWEL_WHY.replace('語末の長音「ー」を付けるかどうか', '「ファイア」「ファイヤー」などの書き方'), seeds: [] },
  { id: 'alpha-prime-model', re: /α['’′]モデル/g, preferred: "α'モデル", why: PRIME_WHY, seeds: [] },
  { id: 'beta-prime-model', re: /β['’′]モデル/g, preferred: "β'モデル", why: PRIME_WHY, seeds: [] },
  nakaguro('cloud-service', 'クラウド', 'サービス'),
  nakaguro('social-engineering', 'ソーシャル', 'エンジニアリング'),
  nakaguro('forensics', 'デジタル', 'フォレンジック'),
  nakaguro('cyber-resilience', 'サイバー', 'レジリエンス'),
  nakaguro('thin-client', 'シン', 'クライアント'),
];
