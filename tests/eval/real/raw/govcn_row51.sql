insert into ge_policy_raw (id, crawl_url, crawl_time, index_number, title, release_office, release_number, policy_basis, wiritten_time, release_time, effect_time, content, image_url, status, html, remark) values (51, 'http://www.gov.cn/zhengce/content/2018-12/02/content_5345291.htm', '2019-02-17 15:36:28', '000014349/1997-00073', '国务院办公厅转发国家地震局关于1997年地震趋势和加强防震减灾工作意见报告的通知', '国务院办公厅', '国办发〔1997〕2号', null, '1997-03-04 15:36:28', '2019-01-02 15:36:28', null, '<tbody> 
 <tr> 
  <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold;"><span style="font-size: 18pt;">国务院办公厅转发国家地震局</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold;"><span style="font-size: 18pt;">关于</span><span style="font-size: 18pt;">1997年地震趋势和加强防震减灾</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold;"><span style="font-size: 18pt;">工作意见报告的通知</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国办发〔1997〕2号</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">国家地震局《关于1997年地震趋势和加强防震减灾工作意见的报告》已经国务院同意，现转发给你们，请认真贯彻执行。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">根据地震部门的预测，未来一段时间，我国地震活动仍将处于本世纪以来第五个活跃期的高潮阶段。为全面做好防震减灾工作，各地区、各部门特别是地震重点监视防御区所在地人民政府，要按照党中央、国务院的要求，努力实现“九五”期间我国防震减灾工作目标，为在下世纪初全面实现防震减灾十年目标打下扎实的基础；要按照《国务院办公厅关于印发国家破坏性地震应急预案的通知》（国办发〔1996〕54号）精神，制定和进一步完善地震应急预案，切实做好应急准备工作，努力把地震灾害损失减轻到最低程度，为我国经济与社会发展和社会稳定做出贡献。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">国务院办公厅 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">一九九七年二月四日&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（本文有删减）<br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">关于1997年地震趋势和</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">加强防震减灾工作意见的报告</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">国务院：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">我局于1997年1月7日至11日召开1997年度全国地震趋势会商会，对今后几年，主要是1997年地震趋势进行了系统的分析、研究和判定。现将会商结果和加强防震减灾工作的意见报告如下：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><span style="font-weight: bold;">一、1996年我国地震活动情况和1997年及未来几年地震趋势</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">1996年，在全球地震活跃的大背景下，我国共发生5级以上地震38次，其中大陆地区26次。自1995年7月12日云南孟连中缅边界发生7.3级强震后，相隔仅半年多的时间，我国大陆地区相继发生了2月3日云南丽江7.0级、3月19日新疆阿图什6.9级、5月3日内蒙古包头西6.4级、11月9日南黄海6.1级和11月19日新疆喀喇昆仑7.1级中强地震或强震，显示出我国大陆仍处在本世纪以来第五个地震活跃期大震连发的高潮阶段。据初步统计，1996年地震灾害共造成365人死亡，4026人重伤，直接经济损失约46亿元。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">根据对近年来我国和全球地震活动的跟踪分析，会议认为，今后几年，我国大陆地震活动仍将处于本世纪以来第五个地震活跃期的高潮阶段，将发生几次7级左右强震，并且很可能发生7.5级以上特大地震。强震活动的主体地区可能在青藏构造块体及其边缘地带，包括喜马拉雅地震带、南北地震带及新疆西部地区。需要特别指出的是，我国东部地区，尤其是华北地区的地震活动已经进入中强以上地震的活跃时段，今后几年发生多次5―6级或6级以上地震的可能性较大。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">1997年，我国大陆发生7级以上地震的可能性较大，发震地区可能在南北地震带中南段和喜马拉雅地震带，特别应注意西藏中东部至川、滇、藏、青交界一带。我国大陆东部及近海海域有可能发生6级左右地震，尤其应注意华北北部、渤海至北黄海一带。通过对近期地震活动和前兆观测资料的综合分析，会议确定了1997年度发生破坏性地震可能性较大的重点危险区。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><span style="font-weight: bold;">二、加强防震减灾工作的意见</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">面对严峻的地震形势，防震减灾工作要继续全面贯彻党的十四届五中、六中全会精神，加强法制建设，依靠科技进步，以推进地震重点监视防御区大中城市防震减灾十年目标为重点，实现防震减灾事业与经济和社会同步协调发展，为经济建设和社会稳定提供保障。为此，提出以下几点意见：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（一）各地区、各有关部门应按照《国务院办公厅转发国家地震局关于1994年地震趋势和防震减灾工作意见报告的通知》（国办发〔1994〕36号）和《国务院办公厅转发国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见报告的通知》（国办发〔1996〕2号）的精神，结合本地区、本部门实际，尽快制定防震减灾十年目标实施方案并抓紧组织实施。当前及今后一段时期，应以地震重点监视防御区大中城市的防震减灾工作为重点，积极推进。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（二）做好《破坏性地震应急条例》和《国家破坏性地震应急预案》的落实工作。要尽快制定或完善本地区、本部门的《破坏性地震应急预案》，增加对防震减灾技术系统特别是应急设备的投入，切实落实防范措施。位于地震重点监视防御区的大中城市，应抓紧做好震害预测工作。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（三）加强对工程抗震设防工作的管理，尽快将其纳入法制化轨道，地方各级人民政府、各有关部门要切实做好抗震设防标准确定、抗震设计和施工几个环节的工作。建议今年适当时候，由国务院组织有关部门，对地震重点监视防御区部分城市抗震设防工作进行一次检查，以促使工作的落实。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（四）积极开展防震减灾知识宣传教育。地方各级人民政府特别是地震重点监视防御区所在地的人民政府应把防震减灾知识的宣传作为宣传教育工作的一项重要内容，正确把握“积极、慎重、科学、有效”的原则。可利用国内外具有较大影响的典型地震事件和唐山等地震纪念日以及科普宣传周等，适时加大宣传普及教育工作的力度。各级地震部门要积极配合有关部门，做好防震减灾知识的宣传教育工作，通过“九五”期间的努力，首先在地震重点监视防御区，使防震减灾知识家喻户晓。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（五）鉴于华北地区面临的震情形势和首都圈地区的特殊重要性，建议将首都圈地区建成我国防震减灾十年目标综合示范区。经过“九五”期间的努力，使其成为率先具备抗御6级左右地震能力，对全国具有示范意义的防震减灾样板地区。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（六）为了切实加强防震减灾工作，各级人民政府要加强防震减灾工作的领导，加大投入力度。国家计委、财政部、国家地震局《关于建立健全防震减灾计划体制及相应经费渠道的报告》已经国务院同意，请各省、自治区、直辖市人民政府认真贯彻落实。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">以上意见如无不妥，请批转各地区、各部门贯彻执行。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">国家地震局&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">一九九七年一月二十日 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;</p></td> 
 </tr> 
 <tr> 
  <td></td> 
 </tr> 
</tbody>', null, '未处理', '<div class="wrap" style="font-family:宋体;"> 
 <table width="724" border="0" cellpadding="0" cellspacing="0" style="border:1px solid #999999;margin:0 auto;margin-top:10px;"> 
  <tbody> 
   <tr> 
    <td>
     <table width="660" border="0" cellpadding="0" cellspacing="0" class="bd1" style="width:660px;margin:0 auto;margin-top:12px;"> 
      <tbody> 
       <tr> 
        <td width="70"><b>索 引 号：</b></td> 
        <td width="260">000014349/1997-00073</td> 
        <td width="70"><b>主题分类：</b></td> 
        <td width="260">城乡建设、环境保护\\气象、水文、测绘、地震</td> 
       </tr> 
       <tr> 
        <td><b>发文机关：</b></td> 
        <td>国务院办公厅</td> 
        <td><b>成文日期：</b></td> 
        <td>1997年02月04日</td> 
       </tr> 
       <tr> 
        <td><b>标　　题：</b></td> 
        <td colspan="3">国务院办公厅转发国家地震局关于1997年地震趋势和加强防震减灾工作意见报告的通知</td> 
       </tr> 
       <tr> 
        <td><b>发文字号：</b></td> 
        <td>国办发〔1997〕2号</td> 
        <td><b>发布日期：</b></td> 
        <td>2018年12月02日</td> 
       </tr> 
      </tbody> 
     </table> 
     <table width="660" border="0" cellpadding="0" cellspacing="0" class="bd1" style="width:660px;margin:0 auto;margin-bottom:12px;"> 
      <tbody> 
       <tr> 
        <td width="70" valign="top"><b>主 题 词：</b></td> 
        <td width="250" valign="top"></td> 
        <td width="68" valign="top"></td> 
        <td valign="top"></td> 
       </tr> 
      </tbody> 
     </table></td> 
   </tr> 
  </tbody> 
 </table> 
 <br> 
 <table width="724" border="0" cellpadding="0" cellspacing="0" style="margin:0 auto;border:1px solid #999999;"> 
  <tbody> 
   <tr> 
    <td><br> 
     <table width="650" border="0" cellpadding="0" cellspacing="0" style="margin:0 auto;"> 
      <tbody> 
       <tr> 
        <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold;"><span style="font-size: 18pt;">国务院办公厅转发国家地震局</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold;"><span style="font-size: 18pt;">关于</span><span style="font-size: 18pt;">1997年地震趋势和加强防震减灾</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold;"><span style="font-size: 18pt;">工作意见报告的通知</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国办发〔1997〕2号</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">国家地震局《关于1997年地震趋势和加强防震减灾工作意见的报告》已经国务院同意，现转发给你们，请认真贯彻执行。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">根据地震部门的预测，未来一段时间，我国地震活动仍将处于本世纪以来第五个活跃期的高潮阶段。为全面做好防震减灾工作，各地区、各部门特别是地震重点监视防御区所在地人民政府，要按照党中央、国务院的要求，努力实现“九五”期间我国防震减灾工作目标，为在下世纪初全面实现防震减灾十年目标打下扎实的基础；要按照《国务院办公厅关于印发国家破坏性地震应急预案的通知》（国办发〔1996〕54号）精神，制定和进一步完善地震应急预案，切实做好应急准备工作，努力把地震灾害损失减轻到最低程度，为我国经济与社会发展和社会稳定做出贡献。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">国务院办公厅 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">一九九七年二月四日&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（本文有删减）<br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">关于1997年地震趋势和</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">加强防震减灾工作意见的报告</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">国务院：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">我局于1997年1月7日至11日召开1997年度全国地震趋势会商会，对今后几年，主要是1997年地震趋势进行了系统的分析、研究和判定。现将会商结果和加强防震减灾工作的意见报告如下：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><span style="font-weight: bold;">一、1996年我国地震活动情况和1997年及未来几年地震趋势</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">1996年，在全球地震活跃的大背景下，我国共发生5级以上地震38次，其中大陆地区26次。自1995年7月12日云南孟连中缅边界发生7.3级强震后，相隔仅半年多的时间，我国大陆地区相继发生了2月3日云南丽江7.0级、3月19日新疆阿图什6.9级、5月3日内蒙古包头西6.4级、11月9日南黄海6.1级和11月19日新疆喀喇昆仑7.1级中强地震或强震，显示出我国大陆仍处在本世纪以来第五个地震活跃期大震连发的高潮阶段。据初步统计，1996年地震灾害共造成365人死亡，4026人重伤，直接经济损失约46亿元。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">根据对近年来我国和全球地震活动的跟踪分析，会议认为，今后几年，我国大陆地震活动仍将处于本世纪以来第五个地震活跃期的高潮阶段，将发生几次7级左右强震，并且很可能发生7.5级以上特大地震。强震活动的主体地区可能在青藏构造块体及其边缘地带，包括喜马拉雅地震带、南北地震带及新疆西部地区。需要特别指出的是，我国东部地区，尤其是华北地区的地震活动已经进入中强以上地震的活跃时段，今后几年发生多次5―6级或6级以上地震的可能性较大。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">1997年，我国大陆发生7级以上地震的可能性较大，发震地区可能在南北地震带中南段和喜马拉雅地震带，特别应注意西藏中东部至川、滇、藏、青交界一带。我国大陆东部及近海海域有可能发生6级左右地震，尤其应注意华北北部、渤海至北黄海一带。通过对近期地震活动和前兆观测资料的综合分析，会议确定了1997年度发生破坏性地震可能性较大的重点危险区。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><span style="font-weight: bold;">二、加强防震减灾工作的意见</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">面对严峻的地震形势，防震减灾工作要继续全面贯彻党的十四届五中、六中全会精神，加强法制建设，依靠科技进步，以推进地震重点监视防御区大中城市防震减灾十年目标为重点，实现防震减灾事业与经济和社会同步协调发展，为经济建设和社会稳定提供保障。为此，提出以下几点意见：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（一）各地区、各有关部门应按照《国务院办公厅转发国家地震局关于1994年地震趋势和防震减灾工作意见报告的通知》（国办发〔1994〕36号）和《国务院办公厅转发国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见报告的通知》（国办发〔1996〕2号）的精神，结合本地区、本部门实际，尽快制定防震减灾十年目标实施方案并抓紧组织实施。当前及今后一段时期，应以地震重点监视防御区大中城市的防震减灾工作为重点，积极推进。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（二）做好《破坏性地震应急条例》和《国家破坏性地震应急预案》的落实工作。要尽快制定或完善本地区、本部门的《破坏性地震应急预案》，增加对防震减灾技术系统特别是应急设备的投入，切实落实防范措施。位于地震重点监视防御区的大中城市，应抓紧做好震害预测工作。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（三）加强对工程抗震设防工作的管理，尽快将其纳入法制化轨道，地方各级人民政府、各有关部门要切实做好抗震设防标准确定、抗震设计和施工几个环节的工作。建议今年适当时候，由国务院组织有关部门，对地震重点监视防御区部分城市抗震设防工作进行一次检查，以促使工作的落实。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（四）积极开展防震减灾知识宣传教育。地方各级人民政府特别是地震重点监视防御区所在地的人民政府应把防震减灾知识的宣传作为宣传教育工作的一项重要内容，正确把握“积极、慎重、科学、有效”的原则。可利用国内外具有较大影响的典型地震事件和唐山等地震纪念日以及科普宣传周等，适时加大宣传普及教育工作的力度。各级地震部门要积极配合有关部门，做好防震减灾知识的宣传教育工作，通过“九五”期间的努力，首先在地震重点监视防御区，使防震减灾知识家喻户晓。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（五）鉴于华北地区面临的震情形势和首都圈地区的特殊重要性，建议将首都圈地区建成我国防震减灾十年目标综合示范区。经过“九五”期间的努力，使其成为率先具备抗御6级左右地震能力，对全国具有示范意义的防震减灾样板地区。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">（六）为了切实加强防震减灾工作，各级人民政府要加强防震减灾工作的领导，加大投入力度。国家计委、财政部、国家地震局《关于建立健全防震减灾计划体制及相应经费渠道的报告》已经国务院同意，请各省、自治区、直辖市人民政府认真贯彻落实。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">以上意见如无不妥，请批转各地区、各部门贯彻执行。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">国家地震局&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">一九九七年一月二十日 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;</p></td> 
       </tr> 
       <tr> 
        <td></td> 
       </tr> 
      </tbody> 
     </table> 
     <div id="pageBreak"></div> 
     <!--/enpcontent--> 
     <div id="div_div"> 
      <div id="qr_container" style="margin:auto; position:relative;">
       扫一扫在手机打开当前页
      </div> 
     </div> 
     <div id="pageBreak"></div> 
     <!-- 用来校验该浏览器是否支持HTML5 --> 
     <canvas id="Canvas"></canvas> 
     <table width="650" border="0" align="center" cellpadding="0" cellspacing="0" style="border-top:1px solid #333333;margin:0 auto;margin-top:18px;"> 
      <tbody> 
       <tr> 
        <td height="60" align="center"><img src="http://www.gov.cn/zhengce/130.files/sendmail.gif" width="43" height="18" style="margin-right:12px;display:none;"> <a href="/zhengce/content/2018-12/02/content_5345291.htm#" class="black" onclick="javascript:window.external.AddFavorite(document.URL,document.title);return false"><img src="http://www.gov.cn/zhengce/130.files/save.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/02/content_5345291.htm#" onclick="javascript:window.print()"><img src="http://www.gov.cn/zhengce/130.files/openpage.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/02/content_5345291.htm#" onclick="window.close()"><img src="http://www.gov.cn/zhengce/130.files/close.gif" width="70" height="18" style="margin-right:12px;"></a></td> 
       </tr> 
      </tbody> 
     </table> </td> 
   </tr> 
  </tbody> 
 </table> 
 <!--二维码微信微博--> 
 <!--国务院客户端  微博微信  三个链接--> 
 <!--<div class="de_bannerS" style="position: relative;">
	<img src="/govweb/xhtml/2016gov/images/public/de_bannerS.jpg">
    <a href="http://www.gov.cn/public/yidongkehuduan.htm" target="_blank" style="position: absolute; top: 1px; left: 1px; display: block; width: 528px; height: 128px; opacity: 1; background: none;"></a>
	<a href="http://www.gov.cn/home/2014-02/18/content_5046260.htm" target="_blank" style="position: absolute; top: 1px; left: 531px; width: 360px; height: 128px; opacity: 1; background: none;"></a>
</div>--> 
 <!--营改增专题  微博微信  三个链接--> 
 <div class="de_bannerS" style=" position: relative;"> 
  <img src="/govweb/xhtml/2016gov/images/public/de_bannerS_sjh.jpg"> 
  <a href="http://www.gov.cn/public/yidongkehuduan.htm" target="_blank" style="position: absolute; top: 1px; left: 1px; display: block; width: 141px; height: 128px; opacity: 0;filter:alpha(opacity=0);-khtml-opacity:0;-moz-opacity:0;"></a> 
  <a href="http://login.forum.gov.cn/html/form/suggest_wxzlsjh.html" target="_blank" style="position: absolute; top: 1px; left: 143px; width: 370px; height: 128px; opacity: 0; opacity: 0;filter:alpha(opacity=0);-khtml-opacity:0;-moz-opacity:0;"></a> 
  <a href="http://www.gov.cn/home/2014-02/18/content_5046260.htm" target="_blank" style="position: absolute; top: 1px; left: 531px; width: 360px; height: 128px; opacity: 0; opacity: 0;filter:alpha(opacity=0);-khtml-opacity:0;-moz-opacity:0;"></a> 
 </div> 
</div>', 'HTML');
