/**
 * Code tables of the specification (reference §3). Informative codes the terminal does not know are shown
 * as the code followed by "未知", never refused: provinces add their own (psn_type, 4-6 digit med_type ...).
 */

export const INSUTYPE: Readonly<Record<string, string>> = {
  '310': '职工基本医疗保险',
  '320': '公务员医疗补助',
  '330': '大额医疗费用补助',
  '340': '离休人员医疗保障',
  '350': '一至六级残废军人医疗补助',
  '360': '老红军医疗保障',
  '370': '企业补充医疗保险',
  '380': '新型农村合作医疗',
  '390': '城乡居民基本医疗保险',
  '391': '城镇居民基本医疗保险',
  '392': '城乡居民大病医疗保险',
  '399': '其他特殊人员医疗保障',
  '410': '长期照护保险',
};

export const PSN_INSU_STAS: Readonly<Record<string, string>> = {
  '0': '未参保',
  '1': '正常参保',
  '2': '暂停参保',
  '4': '终止参保',
};

export const MED_TYPE: Readonly<Record<string, string>> = {
  '11': '普通门诊',
  '12': '门诊挂号',
  '13': '急诊',
  '14': '门诊慢特病',
  '41': '定点药店购药',
};

export const MDTRT_CERT_TYPE: Readonly<Record<string, string>> = {
  '01': '医保电子凭证',
  '02': '居民身份证',
  '03': '社会保障卡',
};

export const PSN_CERT_TYPE: Readonly<Record<string, string>> = {
  '01': '居民身份证(户口簿)',
  '02': '军官证',
  '03': '武警警官证',
  '04': '香港特区护照/港澳居民来往内地通行证',
  '05': '澳门特区护照/港澳居民来往内地通行证',
  '06': '台湾居民来往大陆通行证',
  '07': '外国人永久居留证',
  '08': '外国人护照',
  '17': '港澳台居民居住证',
  '90': '社会保障卡',
  '99': '其他身份证件',
};

/** setldetail fund_pay_type: which fund paid. */
export const FUND_PAY_TYPE: Readonly<Record<string, string>> = {
  '310100': '职工基本医疗保险统筹基金',
  '310200': '职工基本医疗保险个人账户基金',
  '320100': '公务员医疗补助基金',
  '330100': '职工大额医疗费用补助基金',
  '340100': '离休人员医疗保障基金',
  '390100': '城乡居民基本医疗保险基金',
  '390200': '城乡居民大病医疗保险基金',
  '391100': '城乡居民大病医疗保险资金',
  '390300': '城乡居民大病补充保险基金',
  '510100': '生育基金',
  '610100': '医疗救助基金',
  '620100': '照护保险基金',
  '640100': '政府兜底基金',
  '999900': '医院垫付',
};

/** The personal account's own row in setldetail: it is acct_pay, not a fund. */
export const ACCOUNT_FUND_PAY_TYPE = '310200';

export const CLR_TYPE: Readonly<Record<string, string>> = { '11': '门诊', '21': '住院', '41': '药店购药', '99': '其他' };

/** 对账结果 (3201 and the 3202 result rows). */
export const STMT_RSLT: Readonly<Record<string, string>> = { '0': '对平', '1': '中心多', '2': '医药机构多', '3': '数据不一致' };

/** "310 职工基本医疗保险", or "315 未知" for a code the table does not know. */
export function describeCode(table: Readonly<Record<string, string>>, code: string): string {
  if (code === '') return '';
  return `${code} ${table[code] ?? '未知'}`;
}

/** The name alone, or "<code> 未知". */
export function codeName(table: Readonly<Record<string, string>>, code: string): string {
  return table[code] ?? `${code} 未知`;
}
